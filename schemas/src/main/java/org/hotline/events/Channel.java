package org.hotline.events;

/** Where a ticket came from. */
public enum Channel implements Wire {
    PHONE,
    PROVINCIAL_12345_TRANSFER,
    MAYOR_MAILBOX,
    GOVERNOR_MAILBOX,
    CITY_APP_12345,
    NATIONAL_GOV_WEBSITE,
    NATIONAL_GOV_SERVICE_PLATFORM
}
