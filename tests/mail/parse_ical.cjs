// Parses iTIP messages with ical.js (Mozilla's parser, used by Thunderbird): a JSON array of texts on stdin,
// a JSON array of what each says on stdout. ICALJS is the folder ical.js is installed in.
const ICAL = require(require("path").join(process.env.ICALJS, "node_modules/ical.js/dist/ical.es5.cjs"));
const texts = JSON.parse(require("fs").readFileSync(0, "utf8"));
console.log(JSON.stringify(texts.map((text) => {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const vevent = calendar.getFirstSubcomponent("vevent");
  const event = new ICAL.Event(vevent);
  return {
    method: calendar.getFirstPropertyValue("method"), uid: event.uid, sequence: event.sequence,
    status: vevent.getFirstPropertyValue("status"), attendee: vevent.getFirstPropertyValue("attendee"),
    tzid: vevent.getFirstProperty("dtstart").getParameter("tzid"), start: event.startDate.toString(),
    timezones: calendar.getAllSubcomponents("vtimezone").length,
  };
})));
