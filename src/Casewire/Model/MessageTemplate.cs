namespace Casewire.Model;

/// <summary>A company-wide named text with placeholders (SPEC §12): Admins edit them, everyone inserts them.</summary>
sealed class MessageTemplate : ICompanyOwned
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    public required string Name { get; set; }
    /// <summary>Checked as the milestone templates are when saved (known placeholders, balanced braces).</summary>
    public required string Text { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
