using System.Globalization;
using Casewire.Data;
using Casewire.Model;
using Casewire.Phones;
using Casewire.Validation;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Partner;

/// <summary>A reference to a person of an event as sent: a Casewire id (number) or text (an external id, email or phone).</summary>
public readonly record struct PersonReference(int? Id, string? Text)
{
    public override string ToString() => Id?.ToString(CultureInfo.InvariantCulture) ?? Text!;
}

/// <summary>
/// The people of a calendar event (SPEC §5): attendees are contacts, by Casewire id, externalId, email or phone in that order
/// of precedence (the lowest id among several with one email or phone); members are team members, by CMS user id or email.
/// What does not resolve becomes a warning, not an error.
/// </summary>
public sealed record EventPeople(List<Contact> Attendees, List<TeamMember> Team, List<TeamMember> Others)
{
    public static async Task<EventPeople> ResolveAsync(
        CasewireDb db, int companyId, string region, CalendarEventInput request, List<string> warnings, CancellationToken ct)
    {
        var attendees = await ContactsAsync(db, companyId, region, request.Attendees, warnings, ct);
        var team = await MembersAsync(db, companyId, request.TeamMembers, warnings, "teamMembers", ct);
        var others = await MembersAsync(db, companyId, request.OtherMembers, warnings, "otherMembers", ct);
        return new EventPeople(attendees, team, others);
    }

    static async Task<List<Contact>> ContactsAsync(
        CasewireDb db, int companyId, string region, List<PersonReference> references, List<string> warnings, CancellationToken ct)
    {
        var contacts = new List<Contact>();
        foreach (var reference in references)
        {
            Contact? contact = null;
            if (reference.Id is { } id)
                contact = await db.Contacts.ForCompany(companyId).FirstOrDefaultAsync(c => c.Id == id, ct);
            else
            {
                var text = reference.Text!;
                contact = await db.Contacts.ForCompany(companyId).FirstOrDefaultAsync(c => c.ExternalId == text, ct);
                if (contact is null && text.Contains('@'))
                    contact = await db.Contacts.ForCompany(companyId).OrderBy(c => c.Id).FirstOrDefaultAsync(c => c.Email == text, ct);
                if (contact is null && MobileNumbers.TryNormalize(text, region, out var phone))
                    contact = await db.Contacts.ForCompany(companyId).OrderBy(c => c.Id).FirstOrDefaultAsync(c => c.Phone == phone, ct);
            }
            if (contact is null)
                warnings.Add($"attendees: '{FieldErrors.Shorten(reference.ToString())}' is not a contact of this company (by id, externalId, email or phone); it was left out.");
            else if (!contacts.Contains(contact)) contacts.Add(contact);
        }
        return contacts;
    }

    static async Task<List<TeamMember>> MembersAsync(
        CasewireDb db, int companyId, List<PersonReference> references, List<string> warnings, string field, CancellationToken ct)
    {
        var members = new List<TeamMember>();
        foreach (var reference in references)
        {
            var text = reference.ToString();
            var member = await db.TeamMembers.ForCompany(companyId).FirstOrDefaultAsync(m => m.ExternalId == text, ct)
                         ?? (text.Contains('@') ? await db.TeamMembers.ForCompany(companyId).OrderBy(m => m.Id).FirstOrDefaultAsync(m => m.Email == text, ct) : null);
            if (member is null)
                warnings.Add($"{field}: '{FieldErrors.Shorten(text)}' is not a team member of this company (by CMS user id or email); " +
                             "add it with PUT /partner/v2/team-members.");
            else if (!members.Contains(member)) members.Add(member);
        }
        return members;
    }

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
