using Casewire.Model;

namespace Casewire.Partner;

sealed record AuthorResponse(string Kind, string Name, string? ExternalId);

sealed record RecipientResponse(
    long DeliveryId, string Channel, string Address, string Status, string? ContactExternalId,
    int? Segments, string? ProviderMessageId, string? ErrorCode, string? ErrorMessage, DateTimeOffset? SentAt,
    DateTimeOffset? DeliveredAt, IReadOnlyList<AttemptResponse>? Attempts);

sealed record AttemptResponse(int Number, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Outcome, string? ErrorCode, string? ErrorMessage);

/// <param name="Phase">For milestone notifications: the phase it was sent for.</param>
sealed record MessageResponse(
    int Id, string? ProjectId, string Direction, string Kind, bool Automatic, PhaseRef? Phase, AuthorResponse Author, string Text, string? From,
    DateTimeOffset CreatedAt, IReadOnlyList<RecipientResponse> Recipients, IReadOnlyList<string>? Warnings)
{
    /// <summary>
    /// The message with its deliveries (loaded with it), naming the project, author and contacts by the external ids
    /// given; each delivery's attempts only <paramref name="withAttempts"/>.
    /// </summary>
    public static MessageResponse Of(
        Message m, string? projectExternalId, string? authorExternalId, Dictionary<int, string> contacts, List<DeliveryAttempt> attempts,
        bool withAttempts, IReadOnlyList<string>? warnings) => new(
        m.Id, projectExternalId, Lower(m.Direction), m.Kind.PublicName(), m.Kind.IsAutomatic(),
        m.Phase is null ? null : new PhaseRef(m.Phase.Step, m.Phase.Name),
        new AuthorResponse(m.AuthorKind(), m.AuthorName, authorExternalId), m.Text, m.FromAddress, m.CreatedAt,
        m.Deliveries.OrderBy(d => d.Id).Select(d => new RecipientResponse(
            d.Id, Lower(d.Channel), d.To, d.Status.PublicName(), d.ContactId is { } c ? contacts.GetValueOrDefault(c) : null,
            d.Segments, d.ProviderMessageId, d.ErrorCode, d.ErrorMessage, d.SentAt, d.DeliveredAt,
            withAttempts
                ? attempts.Where(a => a.OutboxItemId == d.Id).Select(a => new AttemptResponse(
                    a.Number, a.StartedAt, a.FinishedAt, a.Outcome is { } o ? Lower(o) : "in-flight", a.ErrorCode, a.ErrorMessage)).ToList()
                : null)).ToList(),
        warnings);

    static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
