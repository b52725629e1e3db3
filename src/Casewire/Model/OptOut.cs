namespace Casewire.Model;

/// <summary>
/// A number that texted STOP (or a kin keyword) to a company (SPEC §7): never texted by that
/// company until it texts START. Email to the same person is unaffected.
/// </summary>
sealed class OptOut : ICompanyOwned
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    /// <summary>E.164.</summary>
    public required string Phone { get; set; }
    public bool Active { get; set; }
    public required string Keyword { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}
