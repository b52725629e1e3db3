using Casewire.Data;
using Casewire.Model;

namespace Casewire.Delivery;

/// <summary>
/// Explicit messages (SPEC §4): what <c>POST /partner/v2/send-message</c> and a staff member's send box
/// on the project page (SPEC §8) both write — the <see cref="Message"/> and one delivery per client:
/// a text to a client with a reachable phone, else an email; a number that opted out is recorded as a
/// suppressed text so the history says why. Explicit messages ignore the notification preference and
/// the delivery window. Nothing is saved here: the caller's <c>SaveChanges</c> commits the message and
/// its outbox items together; a refusal adds nothing.
/// </summary>
sealed class ExplicitMessages(CasewireDb db, Outbox outbox)
{
    /// <summary>The firm a message goes out for.</summary>
    public sealed record Sender(int CompanyId, string CompanyName, string? SenderNumber);

    /// <summary>Who wrote it: a CMS team member, a Company App user (possibly linked to a team member), or the CMS itself.</summary>
    public sealed record Author(string Name, int? TeamMemberId = null, int? StaffUserId = null)
    {
        public static readonly Author Crm = new("CRM");

        public static Author Of(TeamMember member, int? staffUserId = null) =>
            new($"{member.FirstName} {member.LastName}", member.Id, staffUserId);
    }

    /// <summary>A client (or number) that could not be reached, and why (<c>opted-out</c>).</summary>
    public sealed record Unreachable(string? ContactExternalId, string? PhoneNumber, string Reason);

    /// <summary>The message, tracked and ready to save; or, when nobody can be reached, why not (and nothing was added).</summary>
    public sealed record Outcome(Message? Message, string? Refusal, IReadOnlyList<Unreachable> Unreachable)
    {
        public bool Accepted => Message is not null;
    }

    /// <summary>Why a text cannot be sent (empty, too long), for the field that holds it; null when it can.</summary>
    public static string? TextError(string field, string? text)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return $"{field} is required: the message to send, 1 to {Limits.MessageText} characters.";
        return trimmed.Length > Limits.MessageText
            ? $"{field} is {trimmed.Length} characters long; at most {Limits.MessageText} are accepted."
            : null;
    }

    /// <summary>To every client of <paramref name="project"/> (its <see cref="Project.Clients"/> with their contacts loaded), joining its conversation.</summary>
    public async Task<Outcome> ToProjectAsync(Sender sender, Project project, string text, Author author, DateTimeOffset now, CancellationToken ct)
    {
        var clients = project.Clients.OrderBy(c => c.Position).Select(c => c.Contact).ToList();
        var optedOut = await OptOuts.AmongAsync(db, sender.CompanyId, clients, ct);
        var unreachable = clients
            .Where(c => c.Phone is not null && optedOut.Contains(c.Phone) && c.Email is null)
            .Select(c => new Unreachable(c.ExternalId, null, "opted-out")).ToList();
        if (unreachable.Count == clients.Count)
            return new Outcome(null, "No client of this project can be reached: each opted out of texts and has no email.", unreachable);

        var subject = $"{sender.CompanyName}: {project.Name}";
        var message = New(sender, author, text, now, project.Id, subject.Length <= Limits.Name ? subject : subject[..Limits.Name]);
        foreach (var client in clients)
        {
            var phoneReachable = client.Phone is not null && !optedOut.Contains(client.Phone);
            if (phoneReachable)
                Enqueue(message, sender, Channel.Sms, client.Phone!, client.Id);
            else if (client.Email is not null)
                Enqueue(message, sender, Channel.Email, client.Email, client.Id);
            if (client.Phone is not null && !phoneReachable)
            {
                // Recorded so the history shows why the text did not go (SPEC §4: suppressed).
                var suppressed = Enqueue(message, sender, Channel.Sms, client.Phone, client.Id, DeliveryStatus.Suppressed);
                suppressed.ErrorCode = "opted-out";
                suppressed.ErrorMessage = "The number opted out (STOP); it is not texted." + (client.Email is null ? "" : " Sent by email instead.");
            }
        }
        db.Messages.Add(message);
        return new Outcome(message, null, unreachable);
    }

    /// <summary>A text to one number (E.164), kept out of any conversation.</summary>
    public async Task<Outcome> ToPhoneAsync(Sender sender, string phone, string text, Author author, DateTimeOffset now, CancellationToken ct)
    {
        if (await OptOuts.IsOptedOutAsync(db, sender.CompanyId, phone, ct))
            return new Outcome(null, $"{phone} opted out of texts from this company (STOP).", [new Unreachable(null, phone, "opted-out")]);
        var message = New(sender, author, text, now, projectId: null, subject: null);
        Enqueue(message, sender, Channel.Sms, phone, contactId: null);
        db.Messages.Add(message);
        return new Outcome(message, null, []);
    }

    static Message New(Sender sender, Author author, string text, DateTimeOffset now, int? projectId, string? subject) => new()
    {
        CompanyId = sender.CompanyId, ProjectId = projectId, Direction = MessageDirection.Outbound, Kind = MessageKind.Explicit,
        AuthorTeamMemberId = author.TeamMemberId, AuthorStaffUserId = author.StaffUserId,
        AuthorName = author.Name.Length <= Limits.Name ? author.Name : author.Name[..Limits.Name],
        Text = text.Trim(), Subject = subject, CreatedAt = now,
    };

    OutboxItem Enqueue(Message message, Sender sender, Channel channel, string to, int? contactId, DeliveryStatus status = DeliveryStatus.Pending)
    {
        var item = new OutboxItem
        {
            CompanyId = sender.CompanyId, Message = message, Channel = channel, To = to, Body = message.Text, Subject = message.Subject,
            ContactId = contactId, From = channel == Channel.Sms ? sender.SenderNumber : null, Status = status,
        };
        message.Deliveries.Add(item);
        return outbox.Enqueue(item);
    }
}
