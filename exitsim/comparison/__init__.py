"""The strategy comparison (MODEL.md §1, question 1): exit diplomacy against inclusive and
exclusive institution-building, paired under common random numbers.

* :mod:`.outcomes`: the order outcomes compared, their words and units.
* :mod:`.statistics`: means and 95% intervals per strategy pair, paired differences against
  ``status_quo``/``passive``, by level of another factor (sensitivity, worlds), activation,
  actions by kind and the decomposition of the ratio's change — from stored sweep results.
* :mod:`.reading`: the plain-language reading, generated from those numbers.
* :mod:`.report`: the report of a strategy sweep (``python run.py report``) and
  ``docs/findings.md`` (``python run.py findings``).
* :mod:`.quick`: ``python run.py compare``, the quick comparison.
"""
