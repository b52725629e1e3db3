using Casewire.Data;
using Casewire.Model;
using Casewire.Time;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Casewire.Portal;

/// <summary>
/// What one client sees of their case (SPEC §8): the tracker with its client-facing phase names,
/// the events they attend, and their side of the conversation — what was sent to them and what they
/// wrote, never a co-client's texts — with every time in the client's zone.
/// </summary>
sealed record PortalCase(
    string Firm, string CaseName, string FirstName, bool Completed, IReadOnlyList<PortalCase.Step> Tracker,
    IReadOnlyList<PortalCase.Event> Upcoming, IReadOnlyList<PortalCase.Entry> Conversation, string ZoneName, string Language = "en")
{
    public sealed record Step(string Name, bool Done, bool Current);
    public sealed record Event(string Title, DateTimeOffset StartAt, string When, string? WhenThere, string? Location);
    public sealed record Entry(bool FromClient, string Author, string Text, DateTimeOffset At, string When);

    /// <summary>The portal shows this many of the latest messages.</summary>
    public const int ConversationLength = 100;
    const int UpcomingLength = 10;

    public static async Task<PortalCase> LoadAsync(CasewireDb db, PortalClient client, DateTimeOffset now, CancellationToken ct)
    {
        var (company, project, contact) = client;
        var language = Texts.Languages.For(contact, company); // SPEC §13: dates in the client's language
        // Contacts carry no zone of their own: a client is shown the firm's local time.
        var zone = TimeZones.Resolve(company.TimeZone) ?? DateTimeZone.Utc;

        var phases = await db.Phases.AsNoTracking().Where(p => p.ProjectTypeId == project.ProjectTypeId)
            .OrderBy(p => p.Step).Select(p => new { p.Id, p.Name }).ToListAsync(ct);
        var currentIndex = phases.FindIndex(p => p.Id == project.PhaseId);
        var completed = project.Status == ProjectStatus.Completed;
        var tracker = phases.Select((p, i) => new Step(p.Name, Done: i < currentIndex || (completed && i == currentIndex), Current: i == currentIndex))
            .ToList();

        var events = await db.CalendarEvents.AsNoTracking()
            .ForCompany(company.Id).Where(e => e.ProjectId == project.Id && e.CanceledAt == null && e.EndAt > now
                        && e.Attendees.Any(a => a.ContactId == contact.Id))
            .OrderBy(e => e.StartAt).Take(UpcomingLength)
            .Select(e => new { e.Title, e.StartAt, e.TimeZone, e.Location }).ToListAsync(ct);
        var upcoming = events.Select(e =>
        {
            var start = Instant.FromDateTimeOffset(e.StartAt);
            var there = TimeZones.Resolve(e.TimeZone) ?? zone;
            // Where the event takes place keeps another clock, say so as well.
            var whenThere = there.GetUtcOffset(start) != zone.GetUtcOffset(start) ? EventTimes.Describe(start, there, language) : null;
            return new Event(e.Title, e.StartAt, EventTimes.Describe(start, zone, language), whenThere, e.Location);
        }).ToList();

        var messages = await db.Messages.AsNoTracking()
            .ForCompany(company.Id).Where(m => m.ProjectId == project.Id
                        && ((m.Direction == MessageDirection.Inbound && m.AuthorContactId == contact.Id)
                            // Sent (or being sent) to this client: not a co-client's, not one still waiting for its time,
                            // not one replaced or canceled before it left.
                            || (m.Direction == MessageDirection.Outbound && m.Deliveries.Any(d =>
                                d.ContactId == contact.Id && d.DueAt <= now && d.Status != DeliveryStatus.Canceled
                                && d.Status != DeliveryStatus.Superseded && d.Status != DeliveryStatus.Expired))))
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(ConversationLength)
            .Select(m => new
            {
                m.Direction, m.AuthorName, m.Text, m.CreatedAt,
                FromStaff = m.AuthorTeamMemberId != null || m.AuthorStaffUserId != null,
                // A message that waited for the delivery window reached the client when it was due, not when it was written.
                DueAt = m.Deliveries.Where(d => d.ContactId == contact.Id).Select(d => (DateTimeOffset?)d.DueAt).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var conversation = messages.AsEnumerable().Reverse().Select(m =>
        {
            var fromClient = m.Direction == MessageDirection.Inbound;
            var at = !fromClient && m.DueAt > m.CreatedAt ? m.DueAt.Value : m.CreatedAt;
            return new Entry(fromClient, fromClient ? new PortalWords(language)["You"] : m.FromStaff ? $"{m.AuthorName}, {company.Name}" : company.Name,
                m.Text, at, EventTimes.Describe(Instant.FromDateTimeOffset(at), zone, language));
        }).ToList();

        return new PortalCase(company.Name, project.Name, contact.FirstName, completed, tracker, upcoming, conversation,
            TimeZones.AbbreviationAt(zone, Instant.FromDateTimeOffset(now)), language);
    }

    /// <summary>Replies this client wrote in the portal on this case since <paramref name="since"/> (the per-link rate limit).</summary>
    public static Task<int> PortalRepliesSinceAsync(CasewireDb db, PortalClient client, DateTimeOffset since, CancellationToken ct) =>
        db.Messages.ForCompany(client.Company.Id).CountAsync(m => m.ProjectId == client.Project.Id
                                    && m.AuthorContactId == client.Contact.Id && m.Direction == MessageDirection.Inbound
                                    && m.FromAddress == null && m.CreatedAt > since, ct);
}
