using System.Globalization;
using Casewire.Data;
using Casewire.Model;
using Casewire.Phones;
using Casewire.Validation;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Partner;

/// <summary>A reference to a person of an event as sent: a Casewire id (number) or text (an external id, email or phone).</summary>
readonly record struct PersonReference(int? Id, string? Text)
{
    public override string ToString() => Id?.ToString(CultureInfo.InvariantCulture) ?? Text!;
}

/// <summary>
/// The people of a calendar event (SPEC §5): attendees are contacts, by Casewire id, externalId, email or phone in that order
/// of precedence (the lowest id among several with one email or phone); members are team members, by CMS user id or email.
/// Each kind of reference is looked up in one query for the whole request, however long its lists. What does not resolve
/// becomes a warning, not an error.
/// </summary>
sealed record EventPeople(List<Contact> Attendees, List<TeamMember> Team, List<TeamMember> Others)
{
    public static async Task<EventPeople> ResolveAsync(
        CasewireDb db, int companyId, string region, CalendarEventInput request, List<string> warnings, CancellationToken ct)
    {
        var attendees = await ContactsAsync(db, companyId, region, request.Attendees, warnings, ct);
        var members = await MembersAsync(db, companyId, [.. request.TeamMembers, .. request.OtherMembers], ct);
        return new EventPeople(attendees,
            Pick(request.TeamMembers, members, warnings, "teamMembers"), Pick(request.OtherMembers, members, warnings, "otherMembers"));
    }

    static async Task<List<Contact>> ContactsAsync(
        CasewireDb db, int companyId, string region, List<PersonReference> references, List<string> warnings, CancellationToken ct)
    {
        var ids = references.Where(r => r.Id is not null).Select(r => r.Id!.Value).Distinct().ToList();
        var texts = references.Where(r => r.Id is null).Select(r => r.Text!).Distinct().ToList();
        var byId = ids.Count == 0 ? [] : await db.Contacts.ForCompany(companyId).Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var byExternalId = texts.Count == 0 ? [] : await db.Contacts.ForCompany(companyId)
            .Where(c => texts.Contains(c.ExternalId)).ToDictionaryAsync(c => c.ExternalId, StringComparer.Ordinal, ct);
        // An email, then a phone, is looked for only where the text is no contact's externalId.
        var emails = texts.Where(t => !byExternalId.ContainsKey(t) && t.Contains('@')).ToList();
        var byEmail = emails.Count == 0 ? [] : Lowest(await db.Contacts.ForCompany(companyId).Where(c => emails.Contains(c.Email!)).ToListAsync(ct),
            c => c.Email!, c => c.Id);
        var phoneOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var text in texts.Where(t => !byExternalId.ContainsKey(t) && !byEmail.ContainsKey(t)))
            if (MobileNumbers.TryNormalize(text, region, out var phone)) phoneOf[text] = phone;
        var phones = phoneOf.Values.Distinct().ToList();
        var byPhone = phones.Count == 0 ? [] : Lowest(await db.Contacts.ForCompany(companyId).Where(c => phones.Contains(c.Phone!)).ToListAsync(ct),
            c => c.Phone!, c => c.Id);

        var contacts = new List<Contact>();
        foreach (var reference in references)
        {
            var contact = reference.Id is { } id
                ? byId.GetValueOrDefault(id)
                : byExternalId.GetValueOrDefault(reference.Text!) ?? byEmail.GetValueOrDefault(reference.Text!)
                  ?? (phoneOf.TryGetValue(reference.Text!, out var phone) ? byPhone.GetValueOrDefault(phone) : null);
            if (contact is null)
                warnings.Add($"attendees: '{FieldErrors.Shorten(reference.ToString())}' is not a contact of this company (by id, externalId, email or phone); it was left out.");
            else if (!contacts.Contains(contact)) contacts.Add(contact);
        }
        return contacts;
    }

    /// <summary>Team members by CMS user id (an id number is read as one), else by email; keyed by the reference's text.</summary>
    static async Task<Dictionary<string, TeamMember>> MembersAsync(CasewireDb db, int companyId, List<PersonReference> references, CancellationToken ct)
    {
        var texts = references.Select(r => r.ToString()).Distinct().ToList();
        var byExternalId = texts.Count == 0 ? [] : await db.TeamMembers.ForCompany(companyId)
            .Where(m => texts.Contains(m.ExternalId)).ToDictionaryAsync(m => m.ExternalId, StringComparer.Ordinal, ct);
        var emails = texts.Where(t => !byExternalId.ContainsKey(t) && t.Contains('@')).ToList();
        var byEmail = emails.Count == 0 ? [] : Lowest(await db.TeamMembers.ForCompany(companyId).Where(m => emails.Contains(m.Email)).ToListAsync(ct),
            m => m.Email, m => m.Id);
        return texts.Select(t => (Text: t, Member: byExternalId.GetValueOrDefault(t) ?? byEmail.GetValueOrDefault(t)))
            .Where(x => x.Member is not null).ToDictionary(x => x.Text, x => x.Member!, StringComparer.Ordinal);
    }

    static List<TeamMember> Pick(List<PersonReference> references, Dictionary<string, TeamMember> members, List<string> warnings, string field)
    {
        var picked = new List<TeamMember>();
        foreach (var text in references.Select(r => r.ToString()))
        {
            if (members.GetValueOrDefault(text) is not { } member)
                warnings.Add($"{field}: '{FieldErrors.Shorten(text)}' is not a team member of this company (by CMS user id or email); " +
                             "add it with PUT /partner/v2/team-members.");
            else if (!picked.Contains(member)) picked.Add(member);
        }
        return picked;
    }

    /// <summary>Per key, the row with the lowest id: the oldest of several people sharing an email or phone.</summary>
    static Dictionary<string, T> Lowest<T>(List<T> rows, Func<T, string> key, Func<T, int> id) =>
        rows.GroupBy(key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.MinBy(id)!, StringComparer.Ordinal);

    /// <summary>Makes the event's attendees and members exactly these, touching only what changed.</summary>
    public void SetOn(CalendarEvent ev)
    {
        ev.Attendees.RemoveAll(a => !Attendees.Any(c => c.Id == a.ContactId));
        foreach (var contact in Attendees.Where(c => ev.Attendees.All(a => a.ContactId != c.Id)))
            ev.Attendees.Add(new EventAttendee { ContactId = contact.Id, Contact = contact });
        var members = Team.Select(m => (Member: m, Assigned: true)).Concat(Others.Where(o => !Team.Contains(o)).Select(m => (Member: m, Assigned: false))).ToList();
        ev.Members.RemoveAll(m => !members.Any(x => x.Member.Id == m.TeamMemberId));
        foreach (var (member, assigned) in members)
        {
            var link = ev.Members.FirstOrDefault(m => m.TeamMemberId == member.Id);
            if (link is null) ev.Members.Add(new EventMember { TeamMemberId = member.Id, TeamMember = member, AssignedToProject = assigned });
            else if (link.AssignedToProject != assigned) link.AssignedToProject = assigned;
        }
    }
}
