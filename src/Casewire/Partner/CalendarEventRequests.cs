using System.Globalization;
using System.Text.Json;
using Casewire.Data;
using Casewire.Model;
using Casewire.Phones;
using Casewire.Validation;
using Microsoft.EntityFrameworkCore;
using static Casewire.Calendar.EventMessages;

namespace Casewire.Partner;

/// <summary>
/// Reading the parts of a calendar-event request that are not plain strings (SPEC §5): reminders
/// (unit and amount in their several spellings) and attendee / member references.
/// </summary>
public static class CalendarEventRequests
{
    public const int MaxReminders = 10;
    const int MaxReminderDays = 365;

    /// <summary><c>{ "unit": "day" | "hour" | "minute" (any case, plural too), "amount": 1 | "1" }</c>, at most 10, at most 365 days.</summary>
    public static List<Requested> ReadReminders(string field, List<JsonElement>? elements, FieldErrors errors)
    {
        var reminders = new List<Requested>();
        if (elements is null) return reminders;
        if (elements.Count > MaxReminders)
            errors.Add(field, $"{field} has {elements.Count} reminders; at most {MaxReminders} are accepted.");
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

    static JsonElement? Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return property.Value;
        return null;
    }

    /// <summary>A reference as sent: a Casewire id (number) or text (an external id, email or phone).</summary>
    public readonly record struct Reference(int? Id, string? Text)
    {
        public override string ToString() => Id?.ToString(CultureInfo.InvariantCulture) ?? Text!;
    }

    public static List<Reference> ReadReferences(string field, List<JsonElement>? elements, FieldErrors errors)
    {
        var references = new List<Reference>();
        if (elements is null) return references;
        for (var i = 0; i < elements.Count; i++)
        {
            var element = elements[i];
            Reference? reference = element.ValueKind switch
            {
                JsonValueKind.Number when element.TryGetInt32(out var id) && id > 0 => new Reference(id, null),
                JsonValueKind.String when !string.IsNullOrWhiteSpace(element.GetString()) => new Reference(null, element.GetString()!.Trim()),
                JsonValueKind.Object => FromObject(element),
                _ => null,
            };
            if (reference is { } r) references.Add(r);
            else errors.Add(field, $"{field}[{i}] must be an id (number), an external id, an email or a phone number (string).");
        }
        return references;
    }

    static Reference? FromObject(JsonElement element)
    {
        foreach (var name in new[] { "id", "externalId", "email", "phone" })
            if (Property(element, name) is { } value)
                return value.ValueKind switch
                {
                    JsonValueKind.Number when name == "id" && value.TryGetInt32(out var id) && id > 0 => new Reference(id, null),
                    JsonValueKind.String when !string.IsNullOrWhiteSpace(value.GetString()) => new Reference(null, value.GetString()!.Trim()),
                    _ => null,
                };
        return null;
    }

    /// <summary>Attendees: a contact's Casewire id, external id, email or phone. Unresolved ones become warnings.</summary>
    public static async Task<List<Contact>> ResolveContactsAsync(
        CasewireDb db, int companyId, string region, List<Reference> references, List<string> warnings, string field, CancellationToken ct)
    {
        var contacts = new List<Contact>();
        foreach (var reference in references)
        {
            Contact? contact = null;
            if (reference.Id is { } id)
                contact = await db.Contacts.FirstOrDefaultAsync(c => c.CompanyId == companyId && c.Id == id, ct);
            else
            {
                var text = reference.Text!;
                contact = await db.Contacts.FirstOrDefaultAsync(c => c.CompanyId == companyId && c.ExternalId == text, ct);
                if (contact is null && text.Contains('@'))
                    contact = await db.Contacts.OrderBy(c => c.Id).FirstOrDefaultAsync(c => c.CompanyId == companyId && c.Email == text, ct);
                if (contact is null && MobileNumbers.TryNormalize(text, region, out var phone))
                    contact = await db.Contacts.OrderBy(c => c.Id).FirstOrDefaultAsync(c => c.CompanyId == companyId && c.Phone == phone, ct);
            }
            if (contact is null)
                warnings.Add($"{field}: '{FieldErrors.Shorten(reference.ToString())}' is not a contact of this company (by id, externalId, email or phone); it was left out.");
            else if (!contacts.Contains(contact)) contacts.Add(contact);
        }
        return contacts;
    }

    /// <summary>Team members: the CMS user id (external id) or email. Unresolved ones become warnings.</summary>
    public static async Task<List<TeamMember>> ResolveMembersAsync(
        CasewireDb db, int companyId, List<Reference> references, List<string> warnings, string field, CancellationToken ct)
    {
        var members = new List<TeamMember>();
        foreach (var reference in references)
        {
            var text = reference.ToString();
            var member = await db.TeamMembers.FirstOrDefaultAsync(m => m.CompanyId == companyId && m.ExternalId == text, ct)
                         ?? (text.Contains('@') ? await db.TeamMembers.OrderBy(m => m.Id).FirstOrDefaultAsync(m => m.CompanyId == companyId && m.Email == text, ct) : null);
            if (member is null)
                warnings.Add($"{field}: '{FieldErrors.Shorten(text)}' is not a team member of this company (by CMS user id or email); " +
                             "add it with PUT /partner/v2/team-members.");
            else if (!members.Contains(member)) members.Add(member);
        }
        return members;
    }
}
