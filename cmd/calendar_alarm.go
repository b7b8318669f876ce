package cmd

import (
	"fmt"
	"strings"
	"time"
)

// maxAlarmLead is the longest a calendar alarm may come before its event.
const maxAlarmLead = 7 * 24 * time.Hour

// calendarAlarmKey is the config key calendar.alarm: how long before a
// date or a State of the Union an exported calendar's alarm goes off.
func calendarAlarmKey() configKey {
	return configKey{name: "calendar.alarm",
		help: `how long before a date or a State of the Union the exported calendar's alarm goes off ("off" for none)`,
		def:  "1h", want: durationValue,
		get: func(c *Config) string { return c.Calendar.Alarm },
		set: func(c *Config, v string) error {
			if _, err := parseAlarmLead(v); err != nil {
				return err
			}
			c.Calendar.Alarm = v
			return nil
		}}
}

// parseAlarmLead reads calendar.alarm: a duration of whole minutes up to a
// week, or 0 or "off" for no alarm (0 returned).
func parseAlarmLead(v string) (time.Duration, error) {
	if strings.EqualFold(strings.TrimSpace(v), "off") {
		return 0, nil
	}
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil || d < 0 || d%time.Minute != 0 || d > maxAlarmLead {
		return 0, usagef(`calendar.alarm: %q is not a lead time like 30m or 1h (whole minutes, at most a week), or "off"`, v)
	}
	return d, nil
}

// calendarAlarm is calendar.alarm in effect: 1h when unset, 0 for none.
func (c *Config) calendarAlarm() time.Duration {
	if c.Calendar.Alarm == "" {
		return time.Hour
	}
	d, err := parseAlarmLead(c.Calendar.Alarm)
	if err != nil { // loadConfig refuses a bad value; never here
		return time.Hour
	}
	return d
}

// icsLead is a lead time as an RFC 5545 TRIGGER before the start: -PT1H,
// -PT30M, -P1DT2H, -P7D (whole minutes; d > 0).
func icsLead(d time.Duration) string {
	mins := int(d / time.Minute)
	days, hours, mins := mins/(24*60), mins/60%24, mins%60
	var b strings.Builder
	b.WriteString("-P")
	if days > 0 {
		fmt.Fprintf(&b, "%dD", days)
	}
	if hours > 0 || mins > 0 {
		b.WriteString("T")
		if hours > 0 {
			fmt.Fprintf(&b, "%dH", hours)
		}
		if mins > 0 {
			fmt.Fprintf(&b, "%dM", mins)
		}
	}
	return b.String()
}
