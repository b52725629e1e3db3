namespace Casewire.Model;

/// <summary>
/// The staff inbox's state of a project's conversation (SPEC §12): flagged, archived (until the client's next
/// message), assigned to a staff user. Unread lives on the inbound messages themselves (<see cref="Message.ReadAt"/>).
/// A conversation without a row has none of these.
/// </summary>
sealed class ConversationState : ICompanyOwned
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    public int ProjectId { get; set; }
    public bool Flagged { get; set; }
    public DateTimeOffset? ArchivedAt { get; set; }
    public int? AssignedStaffUserId { get; set; }
}
