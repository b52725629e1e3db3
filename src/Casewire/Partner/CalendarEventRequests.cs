using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Casewire.Model;
using Casewire.Partner.Json;
using Casewire.Time;
using Casewire.Validation;
using NodaTime;
using static Casewire.Calendar.EventMessages;

namespace Casewire.Partner;

/// <summary>The body of <c>POST /partner/v2/calendar-event</c> (SPEC §5).</summary>
sealed record CalendarEventRequest(
    [property: ApiRequired, JsonConverter(typeof(IdStringConverter)), Description("The event's id in the CMS.")] string? Id,
    [property: ApiRequired, JsonConverter(typeof(IdStringConverter)), Description("The project's externalId.")] string? ProjectId,
    [property: ApiRequired] string? Title,
    [property: ApiItems(ApiDocs.ReferenceSchema), Description("The project's contacts attending.")] List<JsonElement>? Attendees,
    [property: ApiItems(ApiDocs.ReferenceSchema), Description("Team members assigned to the project.")] List<JsonElement>? TeamMembers,
    [property: ApiItems(ApiDocs.ReferenceSchema), Description("Team members not assigned to the project.")] List<JsonElement>? OtherMembers,
    [property: ApiRequired,
               Description("YYYY-MM-DD HH:mm:ss (a wall-clock time in timezone) or an ISO 8601 instant with an offset.")] string? StartTime,
    [property: Description("As startTime; absent, the event lasts 30 minutes.")] string? EndTime,
    [property: Description("An IANA zone or a common abbreviation (EST); required when startTime has no offset.")] string? Timezone,
    string? Location,
    string? Description,
    [property: ApiItems(ApiDocs.ReminderSchema), Description("At most 10 reminders.")] List<JsonElement>? Reminders,
    // The published document's name for <c>reminders</c>.
    [property: ApiItems(ApiDocs.ReminderSchema), Description("The published name of reminders (used when reminders is absent).")]
    List<JsonElement>? Reminder,
    [property: Description("true: the attendees are told of the new or moved event.")] bool? Notify)
{
    public const int MaxReminders = 10;
    const int MaxReminderDays = 365;

    /// <summary>Reads and checks every field; the errors are keyed by the field at fault.</summary>
    public bool TryRead([NotNullWhen(true)] out CalendarEventInput? ev, out FieldErrors errors)
    {
        errors = new FieldErrors();
        var eventId = errors.Required("id", Id, Limits.ExternalId);
        var projectId = errors.Required("projectId", ProjectId, Limits.ExternalId);
        var title = errors.Required("title", Title, Limits.Name);
        var location = errors.Optional("location", Location, Limits.Name);
        var description = errors.Optional("description", Description, Limits.MessageText);
        var (start, end, zone) = ReadTimes(errors);
        var reminderField = Reminders is not null || Reminder is null ? "reminders" : "reminder";
        var reminders = ReadReminders(reminderField, Reminders ?? Reminder, errors);
        var attendees = ReadReferences("attendees", Attendees, errors);
        var team = ReadReferences("teamMembers", TeamMembers, errors);
        var others = ReadReferences("otherMembers", OtherMembers, errors);
        ev = errors.Any
            ? null
            : new CalendarEventInput(eventId, projectId, title, location, description, start, end, zone, reminders, attendees, team, others,
                Notify == true);
        return ev is not null;
    }

    /// <summary>Start, end and zone by SPEC §5; errors are keyed by the field at fault.</summary>
    (DateTimeOffset Start, DateTimeOffset End, DateTimeZone Zone) ReadTimes(FieldErrors errors)
    {
        var parsedStart = EventTimes.Parse(StartTime);
        var parsedEnd = EventTimes.Parse(EndTime);
        const string forms = "use YYYY-MM-DD HH:mm:ss (a wall-clock time in timezone) or an ISO 8601 instant with an offset, e.g. 2024-01-01T08:00:00-05:00";
        if (string.IsNullOrWhiteSpace(StartTime)) errors.Add("startTime", $"startTime is required: {forms}.");
        else if (parsedStart is null) errors.Add("startTime", $"startTime '{FieldErrors.Shorten(StartTime)}' is not a date and time; {forms}.");
        if (!string.IsNullOrWhiteSpace(EndTime) && parsedEnd is null)
            errors.Add("endTime", $"endTime '{FieldErrors.Shorten(EndTime)}' is not a date and time; {forms}.");
        // Far from now, a time (with its reminders, a year before) would leave what instants can hold: a 500.
        if (parsedStart is not null && !EventTimes.IsSupported(parsedStart))
            errors.Add("startTime", $"startTime '{FieldErrors.Shorten(StartTime!)}' is out of range; {EventTimes.SupportedRange}.");
        if (parsedEnd is not null && !EventTimes.IsSupported(parsedEnd))
            errors.Add("endTime", $"endTime '{FieldErrors.Shorten(EndTime!)}' is out of range; {EventTimes.SupportedRange}.");

        var zone = TimeZones.Resolve(Timezone);
        if (!string.IsNullOrWhiteSpace(Timezone) && zone is null)
            errors.Add("timezone", $"timezone '{FieldErrors.Shorten(Timezone)}' is not known; use {TimeZones.Examples}.");
        if (zone is null && parsedStart is EventTimes.Absolute absolute && string.IsNullOrWhiteSpace(Timezone))
            zone = DateTimeZone.ForOffset(absolute.Value.Offset);
        if (zone is null && string.IsNullOrWhiteSpace(Timezone) && parsedStart is EventTimes.Local)
            errors.Add("timezone", $"timezone is required when startTime has no offset; use {TimeZones.Examples}.");
        if (zone is null || parsedStart is null || errors.Any) return (default, default, zone ?? DateTimeZone.Utc);

        var start = ToInstant(parsedStart, zone);
        var end = parsedEnd is null ? start + Duration.FromMinutes(30) : ToInstant(parsedEnd, zone);
        if (end <= start) errors.Add("endTime", "endTime must be after startTime (leave it out for a 30-minute event).");
        return (start.ToDateTimeOffset(), end.ToDateTimeOffset(), zone);
    }

    static Instant ToInstant(EventTimes.Parsed parsed, DateTimeZone zone) => parsed switch
    {
        EventTimes.Absolute a => a.Value.ToInstant(),
        EventTimes.Local l => EventTimes.ToInstant(l.Value, zone),
        _ => throw new ArgumentOutOfRangeException(nameof(parsed)),
    };

    /// <summary><c>{ "unit": "day" | "hour" | "minute" (any case, plural too), "amount": 1 | "1" }</c>, at most 10, at most 365 days.</summary>
    static List<Requested> ReadReminders(string field, List<JsonElement>? elements, FieldErrors errors)
    {
        var reminders = new List<Requested>();
        if (elements is null) return reminders;
        if (elements.Count > MaxReminders)
        {
            errors.Add(field, $"{field} has {elements.Count} reminders; at most {MaxReminders} are accepted.");
            return reminders;
        }
        for (var i = 0; i < elements.Count; i++)
        {
            var element = elements[i];
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add(field, $"{field}[{i}] must be an object such as {{\"unit\": \"day\", \"amount\": 1}}.");
                continue;
            }
            var unit = ReadUnit(element);
            var amount = ReadAmount(element);
            if (unit is null)
                errors.Add(field, $"{field}[{i}].unit must be \"day\", \"hour\" or \"minute\" (any case, plural allowed).");
            if (amount is null)
                errors.Add(field, $"{field}[{i}].amount must be a positive whole number (a number or a numeric string, e.g. 1 or \"1\").");
            if (unit is null || amount is null) continue;
            // In days, not as a TimeSpan: int.MaxValue days (or hours) is more than a TimeSpan holds.
            var days = amount.Value / (unit switch { ReminderUnit.Minute => 1440.0, ReminderUnit.Hour => 24.0, _ => 1.0 });
            if (days > MaxReminderDays)
                errors.Add(field, $"{field}[{i}] is {days:0.#} days before the event; at most {MaxReminderDays} days are accepted.");
            else reminders.Add(new Requested(unit.Value, amount.Value));
        }
        return reminders;
    }

    static ReminderUnit? ReadUnit(JsonElement reminder) =>
        Property(reminder, "unit") is { ValueKind: JsonValueKind.String } unit
            ? unit.GetString()!.Trim().ToLowerInvariant() switch
            {
                "day" or "days" => ReminderUnit.Day,
                "hour" or "hours" => ReminderUnit.Hour,
                "minute" or "minutes" => ReminderUnit.Minute,
                _ => null,
            }
            : null;

    static int? ReadAmount(JsonElement reminder) => Property(reminder, "amount") switch
    {
        { ValueKind: JsonValueKind.Number } n when n.TryGetInt32(out var value) && value > 0 => value,
        { ValueKind: JsonValueKind.String } s when int.TryParse(s.GetString()!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                                                   && value > 0 => value,
        _ => null,
    };

    /// <summary>Attendees and members: an id (number), or text (an external id, email or phone), bare or as an object.</summary>
    static List<PersonReference> ReadReferences(string field, List<JsonElement>? elements, FieldErrors errors)
    {
        var references = new List<PersonReference>();
        if (elements is null) return references;
        // Bounded before anything is read (SPEC §11): one request must not hold the writer for other firms.
        if (elements.Count > Limits.EventPeople)
        {
            errors.Add(field, $"{field} has {elements.Count} entries; at most {Limits.EventPeople} are accepted.");
            return references;
        }
        for (var i = 0; i < elements.Count; i++)
        {
            var element = elements[i];
            PersonReference? reference = element.ValueKind switch
            {
                JsonValueKind.Number when element.TryGetInt32(out var id) && id > 0 => new PersonReference(id, null),
                JsonValueKind.String when !string.IsNullOrWhiteSpace(element.GetString()) => new PersonReference(null, element.GetString()!.Trim()),
                JsonValueKind.Object => FromObject(element),
                _ => null,
            };
            if (reference is { } r) references.Add(r);
            else errors.Add(field, $"{field}[{i}] must be an id (number), an external id, an email or a phone number (string).");
        }
        return references;
    }

    static PersonReference? FromObject(JsonElement element)
    {
        foreach (var name in new[] { "id", "externalId", "email", "phone" })
            if (Property(element, name) is { } value)
                return value.ValueKind switch
                {
                    JsonValueKind.Number when name == "id" && value.TryGetInt32(out var id) && id > 0 => new PersonReference(id, null),
                    JsonValueKind.String when !string.IsNullOrWhiteSpace(value.GetString()) => new PersonReference(null, value.GetString()!.Trim()),
                    _ => null,
                };
        return null;
    }

    static JsonElement? Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return property.Value;
        return null;
    }
}

/// <summary>A calendar-event request once read: the times as instants in their zone, references still to resolve.</summary>
sealed record CalendarEventInput(
    string Id, string ProjectId, string Title, string? Location, string? Description, DateTimeOffset Start, DateTimeOffset End, DateTimeZone Zone,
    List<Requested> Reminders, List<PersonReference> Attendees, List<PersonReference> TeamMembers, List<PersonReference> OtherMembers, bool Notify);
