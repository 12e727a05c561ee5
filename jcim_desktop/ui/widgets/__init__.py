"""Reusable widgets: the entry dialogs' inputs (municipality, planned date, facility types, record links),
the map, ``push_button``, and the margin-free ``boxes`` they and the pages are laid out in.

Import each from its module (``from jcim_desktop.ui.widgets.municipality import MunicipalityPicker``);
this package imports nothing eagerly so that one widget's dependencies never load another's.
"""
