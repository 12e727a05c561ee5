"""Reusable widgets: the entry dialogs' inputs (municipality, planned date, facility types, record links),
the map, and ``push_button``.

Import each from its module (``from jcim_desktop.ui.widgets.municipality import MunicipalityPicker``);
this package imports nothing eagerly so that one widget's dependencies never load another's.
"""
