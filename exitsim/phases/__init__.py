"""The phases of one step, one module each, in the order of the process overview (MODEL.md §3).

=========================  ===========================================================  ======
module                     what it does                                                 §
=========================  ===========================================================  ======
:mod:`.domestic`           nativism, elections and leader changes; scheduled politics   4.9
:mod:`.institutions`       dues, output, spillover, leadership, commitments, compliance 4.1–4.3
:mod:`.power`              power from this year's flows; scheduled power shocks         4.4
:mod:`.evaluation`         ũ, each membership's yearly value in years of dues           4.5
:mod:`.strategies`         the great powers' strategies (none yet)                      4.11
:mod:`.decisions`          stay, threaten or give notice; concessions; the law           4.6–4.7
:mod:`.contagion`          exposure for next year's decisions                           4.8
:mod:`.alignment`          alignment drift                                              4.10
:mod:`.lifecycle`          rejoining and returns; zombies, deaths and foundings         4.12
:mod:`.collection`         the year's outcomes                                          5
=========================  ===========================================================  ======

Each module has one entry point, ``run(ctx, ...)``, taking the year's
:class:`~exitsim.phases.context.StepContext` and returning what a later phase reads; the
mechanisms it composes are pure functions in :mod:`exitsim.mechanisms`.
:meth:`exitsim.model.ExitModel.step` calls them in this order.
"""
