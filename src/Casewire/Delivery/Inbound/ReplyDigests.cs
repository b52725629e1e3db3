using Casewire.Data;
using Casewire.Hosting;
using Casewire.Model;
using Casewire.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Casewire.Delivery.Inbound;

/// <summary>
/// The daily digest of client replies (SPEC §8): at 08:00 company time, each staff user who chose
/// <see cref="ReplyNotifications.DailyDigest"/> gets one email listing the replies on their cases since
/// <see cref="StaffUser.RepliesNotifiedUntil"/>, up to that 08:00. Moving the mark and queueing the email
/// are one transaction, conditional on the mark still being where it was read: however many instances
/// tick, and whatever restarts in between, a day's digest is written once. A digest missed while Casewire
/// was down is sent at the next tick, covering every day since.
/// </summary>
sealed class ReplyDigests(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<DeliveryOptions> delivery, IOptions<PublicUrlOptions> urls,
    ILogger<ReplyDigests> logger) : BackgroundService
{
    public static readonly LocalTime SendAt = new(8, 0);

    /// <summary>Every zone's 08:00 falls on a quarter hour (offsets such as +05:45 included).</summary>
    static readonly TimeSpan Tick = TimeSpan.FromMinutes(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Where no dispatcher runs (tests drive both by hand), no digest is written by itself either.
        if (!delivery.Value.RunDispatcher) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Reply digests failed; trying again at the next tick");
            }
            try { await Task.Delay(UntilNextTick(time.GetUtcNow()), time, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    static TimeSpan UntilNextTick(DateTimeOffset now) =>
        TimeSpan.FromTicks(Tick.Ticks - now.UtcTicks % Tick.Ticks) + TimeSpan.FromSeconds(1);

    /// <summary>Writes every digest that is due now; returns how many emails were queued. Tests call it directly.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasewireDb>();
        var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
        var now = time.GetUtcNow();
        var subscribers = await db.Users.AsNoTracking()
            .Where(u => u.ReplyNotifications == ReplyNotifications.DailyDigest)
            .Join(db.Companies, u => u.CompanyId, c => c.Id,
                (u, c) => new Subscriber(u.Id, u.CompanyId, u.Email, u.TeamMemberId, u.RepliesNotifiedUntil, c.TimeZone))
            .ToListAsync(ct);
        var sent = 0;
        foreach (var subscriber in subscribers)
        {
            try
            {
                if (await DigestAsync(db, outbox, subscriber, now, ct)) sent++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Reply digest of staff user {UserId} (company {CompanyId}) failed; tried again at the next tick",
                    subscriber.UserId, subscriber.CompanyId);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
        return sent;
    }

    sealed record Subscriber(int UserId, int CompanyId, string? Email, int? TeamMemberId, DateTimeOffset? Until, string TimeZone);

    async Task<bool> DigestAsync(CasewireDb db, Outbox outbox, Subscriber s, DateTimeOffset now, CancellationToken ct)
    {
        var zone = TimeZones.Resolve(s.TimeZone) ?? DateTimeZone.Utc;
        var (previous, latest) = Slots(Instant.FromDateTimeOffset(now), zone);
        if (s.Until >= latest) return false; // today's is written (or the user chose the digest after 08:00)
        // Never set: the digest covers the day before, as a digest does.
        var from = s.Until ?? previous;

        List<ReplyEmails.Entry> replies = [];
        if (s.TeamMemberId is { } member && s.Email is not null)
        {
            var projects = await ProjectTeam.ProjectIdsAsync(db, s.CompanyId, member, ct);
            replies = await db.Messages.AsNoTracking()
                .ForCompany(s.CompanyId).Where(m => m.Direction == MessageDirection.Inbound && m.Kind == MessageKind.Reply
                            && m.ProjectId != null && projects.Contains(m.ProjectId.Value) && m.CreatedAt > from && m.CreatedAt <= latest)
                .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
                .Join(db.Projects, m => m.ProjectId, p => p.Id,
                    (m, p) => new ReplyEmails.Entry(p.Id, p.Name, m.AuthorName, m.Text, m.CreatedAt, m.FromAddress != null))
                .ToListAsync(ct);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The mark moves only from where it was read: another instance (or an earlier run) that got here first wins.
        var moved = await db.Users.Where(u => u.Id == s.UserId && u.RepliesNotifiedUntil == s.Until)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.RepliesNotifiedUntil, latest), ct);
        if (moved == 0) return false;
        if (replies.Count > 0)
        {
            var (subject, body) = ReplyEmails.Digest(replies, urls.Value.BaseUrl, zone);
            outbox.Enqueue(new OutboxItem
            {
                CompanyId = s.CompanyId, Channel = Channel.Email, To = s.Email!, Subject = subject, Body = body, TeamMemberId = s.TeamMemberId,
            });
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        if (replies.Count > 0)
            logger.LogInformation("Reply digest of {Count} replies queued for staff user {UserId} (company {CompanyId})",
                replies.Count, s.UserId, s.CompanyId);
        return replies.Count > 0;
    }

    /// <summary>The last two 08:00s in <paramref name="zone"/> at or before <paramref name="now"/>.</summary>
    static (DateTimeOffset Previous, DateTimeOffset Latest) Slots(Instant now, DateTimeZone zone)
    {
        var today = now.InZone(zone).Date;
        var latest = EventTimes.ToInstant(today + SendAt, zone);
        if (latest > now)
        {
            today = today.PlusDays(-1);
            latest = EventTimes.ToInstant(today + SendAt, zone);
        }
        return (EventTimes.ToInstant(today.PlusDays(-1) + SendAt, zone).ToDateTimeOffset(), latest.ToDateTimeOffset());
    }
}
