using Casewire.Data;
using Casewire.Delivery.Webhooks;
using Casewire.Model;

namespace Casewire.Delivery.Inbound;

/// <summary>
/// The one way a client's reply enters Casewire, whether texted (<see cref="InboundSms"/>) or written in
/// the client portal: an inbound <see cref="MessageKind.Reply"/> in the case's conversation, unread until
/// staff open it, and whatever a reply sets off (the staff's emails, the <c>message.received</c> webhook).
/// <see cref="AddAsync"/> only adds tracked rows; <see cref="SaveAsync"/> commits the reply, the caller's
/// other changes and its webhook event in one transaction.
/// </summary>
sealed class ClientReplies(CasewireDb db, StaffNotifications staff, WebhookEvents webhooks)
{
    /// <param name="ProjectId">The case whose conversation it joins; null for a text from no open case.</param>
    /// <param name="Author">The client who wrote it, when known.</param>
    /// <param name="FromAddress">The number a text came from; null for a portal reply.</param>
    /// <param name="ProviderMessageId">The SMS provider's id of a text, so a redelivered webhook is stored once.</param>
    public sealed record Reply(int CompanyId, int? ProjectId, Contact? Author, string Text, DateTimeOffset At,
        string? FromAddress = null, string? ProviderMessageId = null);

    public async Task<Message> AddAsync(Reply reply, CancellationToken ct)
    {
        var message = db.Messages.Add(new Message
        {
            CompanyId = reply.CompanyId, ProjectId = reply.ProjectId, Direction = MessageDirection.Inbound, Kind = MessageKind.Reply,
            AuthorContactId = reply.Author?.Id,
            AuthorName = reply.Author is { } author ? $"{author.FirstName} {author.LastName}" : reply.FromAddress ?? "Client",
            Text = reply.Text.Length > Limits.MessageText ? reply.Text[..Limits.MessageText] : reply.Text,
            FromAddress = reply.FromAddress, ProviderMessageId = reply.ProviderMessageId, CreatedAt = reply.At,
            ReadAt = null, // unread until someone opens the case in the Company App
        }).Entity;
        await staff.OnReplyAsync(message, ct);
        return message;
    }

    /// <summary>
    /// Saves <paramref name="reply"/> (from <see cref="AddAsync"/>) with everything else tracked, then raises
    /// <c>message.received</c>, which names the message's id and so can only follow the first save: both in
    /// one transaction (the caller's, when it has one).
    /// </summary>
    public async Task SaveAsync(Message reply, CancellationToken ct)
    {
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await db.SaveChangesAsync(ct);
        await webhooks.MessageReceivedAsync(reply, reply.FromAddress is null ? "portal" : "sms", ct);
        await db.SaveChangesAsync(ct);
        if (transaction is not null) await transaction.CommitAsync(ct);
    }
}

static class ClientRepliesExtensions
{
    /// <summary>Client replies and the staff notifications they set off, immediate and daily.</summary>
    public static IServiceCollection AddClientReplies(this IServiceCollection services)
    {
        services.AddScoped<ClientReplies>();
        services.AddScoped<InboundMedia>();
        services.AddHttpClient(InboundMedia.ClientName, http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddScoped<StaffNotifications>();
        services.AddSingleton<ReplyDigests>();
        services.AddHostedService(sp => sp.GetRequiredService<ReplyDigests>());
        return services;
    }
}
