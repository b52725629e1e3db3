namespace Casewire.Model;

/// <summary>
/// One satisfaction question to one client of a project (SPEC §13), and its answer once given: a score
/// 0–10 and an optional comment, from a text reply or the portal. Open for answers for seven days.
/// </summary>
sealed class Survey : ICompanyOwned
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    public int ProjectId { get; set; }
    public int ContactId { get; set; }
    /// <summary>The question as sent (its deliveries are in the outbox).</summary>
    public int? MessageId { get; set; }
    /// <summary>What asked: <c>completion</c>, or <c>phase:{name}</c>.</summary>
    public required string Trigger { get; set; }
    /// <summary>When it goes (or went) out: its due time in the delivery window.</summary>
    public DateTimeOffset SentAt { get; set; }
    public int? Score { get; set; }
    public string? Comment { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    /// <summary><c>sms</c> or <c>portal</c>.</summary>
    public string? AnsweredVia { get; set; }
    /// <summary>For a detractor's answer: when a staff member marked it handled (it leaves "needs attention").</summary>
    public DateTimeOffset? HandledAt { get; set; }
    public string? HandledBy { get; set; }

    public Project? Project { get; set; }
    public Contact? Contact { get; set; }
    public Message? Message { get; set; }

    public const int MaxComment = 1600;

    public static bool IsPromoter(int score) => score >= 9;
    public static bool IsDetractor(int score) => score <= 6;
}
