"""The dashboard's About panel: what the model is, how to read the views, things to try."""

ABOUT = """
### What is it?

exitsim simulates states leaving (or threatening to leave) intergovernmental organizations,
and what that does to power and to the international order. Each simulated year the
organizations levy dues and produce public goods that spill over to their members; leading
states gain from steering them and pay to carry them. States weigh staying against
threatening and giving notice, under each organization's real withdrawal clause;
organizations answer threats with concessions or refusals; a leading state's exit is
contagious; governments change and some turn nativist; a hegemon faces a rising power that
grows faster. `docs/ODD.md` describes every mechanism and its source.

### How to read the views

* **The year** at the top is the scenario's calendar year; the run starts at its
  `start_year` and lasts `steps` years.
* **Network**: circles are states (larger: more powerful), coloured by role (hegemon red,
  rising power blue, the hegemon's allies orange) or by government (nativist purple);
  squares are organizations (blue alive, brown zombie, dark dead). A grey line is a
  membership, an orange one a membership under notice, a red one an exit; this year's exits
  and threats are drawn thick. A large world shows its largest organizations only.
* **Time series**: the great powers' shares of world power; how many memberships there are
  and what share is under notice; notices, threats and withdrawals each year; and the order:
  each great power's share of the institutional output it leads, and hierarchy (the sum of
  squared shares: 1 when one state leads everything).
* **Events**: what happened, newest first. Notices caused mainly by contagion (a leading
  state left an organization the state shares with it) are highlighted.
* **Inspector**: one state's memberships: what each is worth to it this year (ũ, in years of
  its own dues: below zero it would rather leave), what leaving would cost it now (S̃, in
  years of dues), and each membership's status.

### How to use it

Pick a scenario and press **Play** (or **Step** for one year). The sliders change the model
from the next year on and stay set when you **Reset**; the seed applies on Reset. An
intervention (a state gives notice, threatens, turns nativist or rejoins) is scheduled on the
run's timeline and acts at once: the dashboard simulates the next year. The **Scenario
editor** shows the scenario's YAML: edit it and press Apply; mistakes are listed with their
line, and the run you had goes on until the text is right. Downloads give the edited YAML and
the run's tables.

### Things to try in a lesson

1. **A leader's exit and its contagion.** Open `default.yaml`, step three years, then make
   the hegemon (S42) give notice to its largest organization (O11) and step on: at the
   calibrated strength of contagion few follow, as in the world. Set `nativist_cost` to 3 and
   `beta_contagion` to 10, Reset and do it again: the feed fills with highlighted contagion.
   Then `beta_contagion` 0, Reset, once more.
2. **A threat bought off.** Open `classroom.yaml`, step to 2022 and make the United States
   threaten to leave WHO: WHO concedes a dues discount (the feed, and the inspector's note).
   Reset, step to 2022 again and let China make the same threat: refused.
3. **A nativist turn.** Open two tabs on `classroom.yaml` and step both to 2022; in one, make
   France's government turn nativist, in the other just Step. The inspector shows each of
   France's memberships worth less by the nativist distaste for binding institutions (0.5
   years of dues for the most binding), and the turnover opens a window; colour the network
   by government to see who else is nativist. Does France leave?
"""
