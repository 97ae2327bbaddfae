package org.hotline.events;

/** Reference data for a responsible unit (see unit.schema.json). */
public record Unit(String id, String name, UnitGroup group) {}
