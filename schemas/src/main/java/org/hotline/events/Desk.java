package org.hotline.events;

/** Special desks whose tickets the bulletin counts apart. */
public enum Desk implements Wire {
    DEPUTY_DESK,
    BUSINESS_DESK
}
