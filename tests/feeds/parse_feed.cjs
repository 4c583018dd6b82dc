// Parses one iCalendar feed with ical.js (Mozilla's parser, used by Thunderbird): the text on stdin, a JSON array
// of what each event says on stdout. ICALJS is the folder ical.js is installed in.
const ICAL = require(require("path").join(process.env.ICALJS, "node_modules/ical.js/dist/ical.es5.cjs"));
const calendar = new ICAL.Component(ICAL.parse(require("fs").readFileSync(0, "utf8")));
console.log(JSON.stringify(calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid, sequence: event.sequence, summary: event.summary, description: event.description,
    allDay: event.startDate.isDate && event.endDate.isDate, start: event.startDate.toString(),
    end: event.endDate.toString(), transp: vevent.getFirstPropertyValue("transp"),
    timezones: calendar.getAllSubcomponents("vtimezone").length,
  };
})));
