using System.Text.RegularExpressions;
using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.Fuzz;

/// <summary>
/// What must hold in the database whatever requests came before: one row per (company, external
/// id); every reference inside one company (a project's clients, a message's project, an outbox
/// item's message and recipient, an event's people); stored values in their valid form; no
/// half-written Idempotency-Key record; and each fuzzed company holding exactly the records the
/// fuzzer saw created (a 2xx), no more and no fewer.
/// </summary>
static partial class DatabaseInvariants
{
    public static async Task<List<string>> CheckAsync(CasewireDb db, IReadOnlyList<FuzzTenant> tenants)
    {
        var wrong = new List<string>();
        var contacts = await db.Contacts.AsNoTracking().ToListAsync();
        var members = await db.TeamMembers.AsNoTracking().ToListAsync();
        var projects = await db.Projects.AsNoTracking().ToListAsync();
        var clients = await db.ProjectClients.AsNoTracking().ToListAsync();
        var types = await db.ProjectTypes.AsNoTracking().ToListAsync();
        var phases = await db.Phases.AsNoTracking().ToListAsync();
        var events = await db.CalendarEvents.AsNoTracking().ToListAsync();
        var attendees = await db.EventAttendees.AsNoTracking().ToListAsync();
        var eventMembers = await db.EventMembers.AsNoTracking().ToListAsync();
        var reminders = await db.Reminders.AsNoTracking().ToListAsync();
        var messages = await db.Messages.AsNoTracking().ToListAsync();
        var outbox = await db.OutboxItems.AsNoTracking().ToListAsync();
        var keys = await db.IdempotencyRecords.AsNoTracking().ToListAsync();
        var massMessages = await db.MassMessages.AsNoTracking().ToListAsync();
        var hooks = await db.WebhookEndpoints.AsNoTracking().ToDictionaryAsync(h => h.Id, h => h.CompanyId);

        var contactById = contacts.ToDictionary(c => c.Id);
        var memberById = members.ToDictionary(m => m.Id);
        var projectById = projects.ToDictionary(p => p.Id);
        var messageById = messages.ToDictionary(m => m.Id);
        var eventById = events.ToDictionary(e => e.Id);
        var typeById = types.ToDictionary(t => t.Id);
        var phaseById = phases.ToDictionary(p => p.Id);

        Unique(wrong, "contact", contacts.Select(c => (c.CompanyId, c.ExternalId)));
        Unique(wrong, "team member", members.Select(m => (m.CompanyId, m.ExternalId)));
        Unique(wrong, "project", projects.Select(p => (p.CompanyId, p.ExternalId)));
        Unique(wrong, "calendar event", events.Select(e => (e.CompanyId, e.ExternalId)));
        foreach (var (what, key) in contacts.Select(c => ("contact", c.ExternalId)).Concat(members.Select(m => ("team member", m.ExternalId)))
                     .Concat(projects.Select(p => ("project", p.ExternalId))).Concat(events.Select(e => ("calendar event", e.ExternalId))))
            if (key.Length is 0 or > Limits.ExternalId || key != key.Trim()) wrong.Add($"{what} externalId '{key}' is blank, untrimmed or too long");

        foreach (var c in contacts)
        {
            if (string.IsNullOrWhiteSpace(c.FirstName) || string.IsNullOrWhiteSpace(c.LastName)) wrong.Add($"contact {c.Id} has a blank name");
            if (c.Email is null && c.Phone is null) wrong.Add($"contact {c.Id} has neither phone nor email");
            if (c.Phone is not null && !E164().IsMatch(c.Phone)) wrong.Add($"contact {c.Id} has phone '{c.Phone}', not E.164");
            if (c.NotificationPreference is NotificationPreference.Sms or NotificationPreference.Both && c.Phone is null)
                wrong.Add($"contact {c.Id} prefers SMS without a phone");
            if (c.NotificationPreference is NotificationPreference.Email or NotificationPreference.Both && c.Email is null)
                wrong.Add($"contact {c.Id} prefers email without an email");
        }
        foreach (var m in members.Where(m => string.IsNullOrWhiteSpace(m.Email) || (m.Phone is not null && !E164().IsMatch(m.Phone))))
            wrong.Add($"team member {m.Id} has email '{m.Email}' and phone '{m.Phone}'");

        var clientsOf = clients.ToLookup(c => c.ProjectId);
        foreach (var p in projects)
        {
            if (!clientsOf[p.Id].Any()) wrong.Add($"project {p.Id} ('{p.ExternalId}') has no client");
            foreach (var link in clientsOf[p.Id])
                if (!contactById.TryGetValue(link.ContactId, out var client) || client.CompanyId != p.CompanyId)
                    wrong.Add($"project {p.Id} of company {p.CompanyId} has client {link.ContactId}, not a contact of that company");
            if (!typeById.TryGetValue(p.ProjectTypeId, out var type) || type.CompanyId != p.CompanyId)
                wrong.Add($"project {p.Id} has project type {p.ProjectTypeId} of another company");
            if (p.PhaseId is { } phaseId && phaseById.GetValueOrDefault(phaseId)?.ProjectTypeId != p.ProjectTypeId)
                wrong.Add($"project {p.Id} is in phase {phaseId}, not a phase of its type");
        }

        foreach (var m in messages)
        {
            if (m.ProjectId is { } projectId && (!projectById.TryGetValue(projectId, out var project) || project.CompanyId != m.CompanyId))
                wrong.Add($"message {m.Id} of company {m.CompanyId} belongs to project {projectId} of another company");
            if (m.AuthorTeamMemberId is { } author && (!memberById.TryGetValue(author, out var member) || member.CompanyId != m.CompanyId))
                wrong.Add($"message {m.Id} has author {author}, not a team member of its company");
        }
        var deliveriesOf = outbox.ToLookup(o => o.MessageId);
        foreach (var m in messages.Where(m => m.Kind == MessageKind.Explicit && m.Direction == MessageDirection.Outbound && !deliveriesOf[m.Id].Any()))
            wrong.Add($"message {m.Id} was accepted with no recipient (no outbox item)");
        foreach (var o in outbox)
        {
            // An item delivers a message, or is a webhook call of one of its company's endpoints, or an email to staff.
            if (o.MessageId is { } messageId)
            {
                if (!messageById.TryGetValue(messageId, out var message))
                    wrong.Add($"outbox item {o.Id} delivers message {messageId}, which does not exist");
                else if (message.CompanyId != o.CompanyId)
                    wrong.Add($"outbox item {o.Id} of company {o.CompanyId} delivers message {messageId} of company {message.CompanyId}");
            }
            else if (o.Channel == Channel.Webhook ? hooks.GetValueOrDefault(o.WebhookEndpointId ?? 0) != o.CompanyId : o.TeamMemberId is null)
                wrong.Add($"outbox item {o.Id} ({o.Channel} to '{o.To}') has no message, nor an endpoint or team member of its company");
            var reachable = o.Channel switch
            {
                Channel.Sms => E164().IsMatch(o.To),
                Channel.Email => o.To.Contains('@'),
                _ => Uri.TryCreate(o.To, UriKind.Absolute, out var url) && url.Scheme is "http" or "https",
            };
            if (!reachable) wrong.Add($"outbox item {o.Id} goes by {o.Channel} to '{o.To}'");
            if (o.ContactId is { } contactId && (!contactById.TryGetValue(contactId, out var contact) || contact.CompanyId != o.CompanyId))
                wrong.Add($"outbox item {o.Id} is for contact {contactId}, not a contact of its company");
            if (o.TeamMemberId is { } memberId && (!memberById.TryGetValue(memberId, out var member) || member.CompanyId != o.CompanyId))
                wrong.Add($"outbox item {o.Id} is for team member {memberId}, not a member of its company");
        }

        foreach (var e in events)
        {
            if (!projectById.TryGetValue(e.ProjectId, out var project) || project.CompanyId != e.CompanyId)
                wrong.Add($"calendar event {e.Id} of company {e.CompanyId} is in project {e.ProjectId} of another company");
            if (e.EndAt <= e.StartAt) wrong.Add($"calendar event {e.Id} ends ({e.EndAt:O}) before it starts ({e.StartAt:O})");
        }
        foreach (var a in attendees)
            if (!eventById.TryGetValue(a.EventId, out var e) || !contactById.TryGetValue(a.ContactId, out var c) || c.CompanyId != e.CompanyId)
                wrong.Add($"event {a.EventId} has attendee {a.ContactId} of another company");
        foreach (var m in eventMembers)
            if (!eventById.TryGetValue(m.EventId, out var e) || !memberById.TryGetValue(m.TeamMemberId, out var tm) || tm.CompanyId != e.CompanyId)
                wrong.Add($"event {m.EventId} has team member {m.TeamMemberId} of another company");
        foreach (var r in reminders)
        {
            if (!eventById.TryGetValue(r.EventId, out var e))
            {
                wrong.Add($"reminder {r.Id} belongs to no event");
                continue;
            }
            if (r.MessageId is { } messageId && (!messageById.TryGetValue(messageId, out var m) || m.CompanyId != e.CompanyId))
                wrong.Add($"reminder {r.Id} of event {e.Id} points at message {messageId} of another company");
            // SPEC §5: canceling an event cancels its pending reminders.
            if (e.CanceledAt is not null && r.MessageId is { } id && deliveriesOf[id].Any(d => d.Status is DeliveryStatus.Pending or DeliveryStatus.Sending))
                wrong.Add($"reminder {r.Id} of canceled event {e.Id} is still waiting to be sent");
        }

        foreach (var k in keys.Where(k => k.StatusCode is < 200 or > 299))
            wrong.Add($"Idempotency-Key record '{k.Key}' holds status {k.StatusCode}: only a 2xx is stored");

        foreach (var tenant in tenants)
        {
            var companyId = tenant.Api.CompanyId;
            Same(wrong, companyId, "contacts", tenant.Contacts.Keys, contacts.Where(c => c.CompanyId == companyId).Select(c => c.ExternalId));
            Same(wrong, companyId, "projects", tenant.Projects.Keys, projects.Where(p => p.CompanyId == companyId).Select(p => p.ExternalId));
            Same(wrong, companyId, "team members", tenant.TeamMembers.Keys, members.Where(m => m.CompanyId == companyId).Select(m => m.ExternalId));
            Same(wrong, companyId, "calendar events", tenant.Events.Keys, events.Where(e => e.CompanyId == companyId).Select(e => e.ExternalId));
            // A mass message writes one explicit message per recipient (SPEC §12): those are counted with their mass message.
            var ofMassMessages = outbox.Where(o => o.MassMessageId is not null && o.MessageId is not null).Select(o => o.MessageId!.Value).ToHashSet();
            Same(wrong, companyId, "sent messages", tenant.Messages.Select(m => m.ToString()),
                messages.Where(m => m.CompanyId == companyId && m.Kind == MessageKind.Explicit && !ofMassMessages.Contains(m.Id)).Select(m => m.Id.ToString()));
            Same(wrong, companyId, "mass messages", tenant.MassMessages.Select(m => m.ToString()),
                massMessages.Where(m => m.CompanyId == companyId).Select(m => m.Id.ToString()));
            foreach (var o in outbox.Where(o => o.MassMessageId is { } id && massMessages.Single(m => m.Id == id).CompanyId != o.CompanyId))
                wrong.Add($"outbox item {o.Id} of company {o.CompanyId} belongs to mass message {o.MassMessageId} of another company");
        }
        return wrong;
    }

    /// <summary>After the dispatcher ran at <paramref name="now"/>: every item it could take was sent (the sink fails nothing).</summary>
    public static async Task<List<string>> UndeliveredAsync(CasewireDb db, int companyId, DateTimeOffset now)
    {
        var items = await db.OutboxItems.AsNoTracking().Where(o => o.CompanyId == companyId).ToListAsync();
        return items
            .Where(o => o.Status == DeliveryStatus.Failed || (o.Status is DeliveryStatus.Pending or DeliveryStatus.Sending && o.AvailableAt <= now))
            .Select(o => $"outbox item {o.Id} ({o.Channel} to '{o.To}') is {o.Status} after sending what was due: {o.ErrorCode} {o.ErrorMessage}")
            .ToList();
    }

    static void Unique(List<string> wrong, string what, IEnumerable<(int CompanyId, string ExternalId)> keys)
    {
        foreach (var duplicate in keys.GroupBy(k => k).Where(g => g.Count() > 1))
            wrong.Add($"{duplicate.Count()} {what} rows for company {duplicate.Key.CompanyId} and externalId '{duplicate.Key.ExternalId}'");
    }

    /// <summary>The company holds exactly the records the fuzzer saw answered with a 2xx.</summary>
    static void Same(List<string> wrong, int companyId, string what, IEnumerable<string> expected, IEnumerable<string> stored)
    {
        var want = expected.ToHashSet(StringComparer.Ordinal);
        var have = stored.ToList();
        var missing = want.Except(have, StringComparer.Ordinal).ToList();
        var extra = have.Where(h => !want.Contains(h)).ToList();
        if (missing.Count > 0 || extra.Count > 0 || have.Count != want.Count)
            wrong.Add($"company {companyId} holds {have.Count} {what}; {want.Count} were answered with a 2xx. " +
                      $"Never created by a 2xx: [{string.Join(", ", extra.Take(5))}]; created but absent: [{string.Join(", ", missing.Take(5))}]");
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{1,14}$")]
    private static partial Regex E164();
}
