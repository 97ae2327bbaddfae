package org.hotline.events;

/** Assessment groups: units are ranked within their group. */
public enum UnitGroup implements Wire {
    DISTRICT,
    PARK,
    DEPARTMENT,
    ENTERPRISE
}
