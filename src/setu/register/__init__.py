"""The cooperation register: organisations, people and their Point-of-Contact roles, projects and
milestones, dialogues with meetings, decisions and action items, and their follow-up.

One module per kind of record declares its fields (``projects``, ``milestones``, ...); ``visibility``
states who may read and change what; ``records``, ``accounts``, ``audit``, ``followup`` and ``transfer``
are the use cases, assembled by ``service.RegisterService``. Storage is in ``setu.store.register``.
"""
