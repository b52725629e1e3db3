using Casewire.Data;
using Casewire.Hosting;
using Casewire.Model;
using Casewire.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Casewire.Delivery.Inbound;

/// <summary>
/// Tells staff that a client replied (SPEC §8): the Company App users linked to a team member of
/// the case (<see cref="ProjectTeam"/>) who chose <see cref="ReplyNotifications.Immediately"/> get one email
/// per reply, written in the reply's own transaction. Those who chose the daily digest hear at 08:00
/// (<see cref="ReplyDigests"/>). Staff emails go out at once: the client delivery window is for clients.
/// </summary>
sealed class StaffNotifications(CasewireDb db, Outbox outbox, IOptions<PublicUrlOptions> urls)
{
    /// <summary>Queues the immediate emails about <paramref name="reply"/> (tracked; the caller saves).</summary>
    public async Task OnReplyAsync(Message reply, CancellationToken ct)
    {
        if (reply.ProjectId is not { } projectId) return; // a text from no known case: nobody's case to hear about
        var team = await ProjectTeam.MemberIdsAsync(db, reply.CompanyId, projectId, ct);
        if (team.Count == 0) return;
        var staff = await db.Users.AsNoTracking()
            .ForCompany(reply.CompanyId).Where(u => u.ReplyNotifications == ReplyNotifications.Immediately
                        && u.TeamMemberId != null && team.Contains(u.TeamMemberId.Value) && u.Email != null)
            .Select(u => new { u.Email, u.TeamMemberId }).ToListAsync(ct);
        if (staff.Count == 0) return;

        var project = await db.Projects.AsNoTracking().ForCompany(reply.CompanyId).Where(p => p.Id == projectId)
            .Select(p => new { p.Name, Zone = db.Companies.Where(c => c.Id == p.CompanyId).Select(c => c.TimeZone).First() })
            .FirstAsync(ct);
        var entry = new ReplyEmails.Entry(projectId, project.Name, reply.AuthorName, reply.Text, reply.CreatedAt, reply.FromAddress is not null);
        var (subject, body) = ReplyEmails.Immediate(entry, urls.Value.BaseUrl, TimeZones.Resolve(project.Zone) ?? DateTimeZone.Utc);
        foreach (var user in staff)
            outbox.Enqueue(new OutboxItem
            {
                CompanyId = reply.CompanyId, Channel = Channel.Email, To = user.Email!, Subject = subject, Body = body,
                TeamMemberId = user.TeamMemberId,
            });
    }
}

/// <summary>The words of the reply emails staff receive.</summary>
static class ReplyEmails
{
    /// <summary>One reply as staff read about it.</summary>
    public sealed record Entry(int ProjectId, string CaseName, string ClientName, string Text, DateTimeOffset At, bool ByText);

    public static (string Subject, string Body) Immediate(Entry reply, string baseUrl, DateTimeZone zone) => (
        Cut($"{reply.ClientName} replied on {reply.CaseName}"),
        $"""
        {reply.ClientName} replied {Via(reply)} on {reply.CaseName}, {When(reply, zone)}:

        {reply.Text}

        Open the case: {baseUrl}/projects/{reply.ProjectId}

        You receive an email for each client reply on your cases. Choose a daily digest or none: {baseUrl}/account/notifications
        """);

    public static (string Subject, string Body) Digest(IReadOnlyList<Entry> replies, string baseUrl, DateTimeZone zone)
    {
        var cases = replies.Select(r => r.ProjectId).Distinct().Count();
        var subject = cases == 1
            ? $"{Count(replies.Count)} on {replies[0].CaseName}"
            : $"{Count(replies.Count)} on {cases} cases";
        var body = new System.Text.StringBuilder($"Client replies on your cases since the last digest ({Count(replies.Count)}):\n");
        foreach (var group in replies.Take(MaxListed).GroupBy(r => r.ProjectId))
        {
            body.Append($"\n{group.First().CaseName} — {baseUrl}/projects/{group.Key}\n");
            foreach (var reply in group.OrderBy(r => r.At))
                body.Append($"\n  {reply.ClientName}, {When(reply, zone)} ({Via(reply)}):\n  {reply.Text.ReplaceLineEndings("\n  ")}\n");
        }
        if (replies.Count > MaxListed) body.Append($"\n…and {replies.Count - MaxListed} more: open your cases in the Company App.\n");
        body.Append($"\nYou receive this digest at 08:00 on days with new replies. Change it: {baseUrl}/account/notifications\n");
        return (Cut("Client replies: " + subject), body.ToString());
    }

    /// <summary>A digest lists this many replies at most; the app has the rest.</summary>
    const int MaxListed = 100;

    static string Count(int n) => n == 1 ? "1 reply" : $"{n} replies";
    static string Via(Entry reply) => reply.ByText ? "by text" : "in the client portal";
    static string When(Entry reply, DateTimeZone zone) => EventTimes.Describe(Instant.FromDateTimeOffset(reply.At), zone);
    static string Cut(string subject) => subject.Length <= Limits.Name ? subject : subject[..(Limits.Name - 1)] + "…";
}
