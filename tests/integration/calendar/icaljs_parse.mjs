// Read an iCalendar file with ical.js, the parser Thunderbird uses, and print what it understood.
//
// Usage: node icaljs_parse.mjs FILE.ics
//
// Every VTIMEZONE of the file is registered with ICAL.TimezoneService before any event is read,
// so times given with TZID=... are converted with the zone rules the feed itself sends (ical.js
// ships no zone database of its own, exactly like a client that has never heard of the zone).
//
// Prints one JSON document on stdout:
//   {calendar: {version, prodid, method, calscale}, timezones: [tzid...],
//    events: [{uid, summary, status, sequence, tzid, dtstart, dtend, categories}...],
//    errors: [message...]}
// with dtstart/dtend converted to UTC ("2014-04-01T07:15:00Z"). A problem with one event is
// listed in `errors`; a file ical.js cannot parse at all exits with status 1.

import { readFileSync } from "node:fs";
import process from "node:process";

import ICAL from "ical.js";

function utc(time) {
  return time.convertToZone(ICAL.Timezone.utcTimezone).toString();
}

// A zone built from a VTIMEZONE component (the feed's, through the component tree or the
// TimezoneService) rather than ical.js's floating or UTC stand-ins.
function fromVtimezone(zone, tzid) {
  return (
    zone?.tzid === tzid &&
    zone.component?.name === "vtimezone" &&
    zone.component.getFirstPropertyValue("tzid") === tzid
  );
}

function readEvent(vevent, errors) {
  const event = new ICAL.Event(vevent);
  const categories = vevent
    .getAllProperties("categories")
    .flatMap((property) => property.getValues().map(String));
  const start = event.startDate;
  const end = event.endDate;
  const tzid = vevent.getFirstProperty("dtstart")?.getParameter("tzid") ?? null;
  for (const [name, time] of [["DTSTART", start], ["DTEND", end]]) {
    if (!time) {
      errors.push(`${event.uid}: no ${name}`);
    } else if (tzid && !fromVtimezone(time.zone, tzid)) {
      errors.push(`${event.uid}: ${name} is not read in the VTIMEZONE ${tzid} of the feed`);
    } else if (time.zone === ICAL.Timezone.localTimezone) {
      errors.push(`${event.uid}: ${name} is floating (unknown zone)`);
    }
  }
  return {
    uid: event.uid,
    summary: event.summary,
    status: vevent.getFirstPropertyValue("status"),
    sequence: event.sequence,
    tzid,
    dtstart: start ? utc(start) : null,
    dtend: end ? utc(end) : null,
    categories,
  };
}

function main(path) {
  const text = readFileSync(path, "utf-8");
  const calendar = new ICAL.Component(ICAL.parse(text));
  if (calendar.name !== "vcalendar") {
    throw new Error(`expected a VCALENDAR, got ${calendar.name}`);
  }
  const errors = [];
  const timezones = [];
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    const zone = new ICAL.Timezone(vtimezone);
    // The feed's definition replaces any earlier one of the same name.
    ICAL.TimezoneService.register(zone, zone.tzid);
    timezones.push(zone.tzid);
  }
  const events = [];
  for (const vevent of calendar.getAllSubcomponents("vevent")) {
    try {
      events.push(readEvent(vevent, errors));
    } catch (error) {
      errors.push(`${vevent.getFirstPropertyValue("uid")}: ${error.message}`);
    }
  }
  return {
    calendar: {
      version: calendar.getFirstPropertyValue("version"),
      prodid: calendar.getFirstPropertyValue("prodid"),
      method: calendar.getFirstPropertyValue("method"),
      calscale: calendar.getFirstPropertyValue("calscale"),
    },
    timezones,
    events,
    errors,
  };
}

if (process.argv.length !== 3) {
  process.stderr.write("usage: node icaljs_parse.mjs FILE.ics\n");
  process.exit(2);
}
try {
  process.stdout.write(`${JSON.stringify(main(process.argv[2]))}\n`);
} catch (error) {
  process.stderr.write(`ical.js could not read ${process.argv[2]}: ${error.stack ?? error}\n`);
  process.exit(1);
}
