namespace Casewire.Model;

/// <summary>A member of the firm's staff as the CMS knows them (SPEC §4, team-members extension). Not a login.</summary>
sealed class TeamMember : ICompanyOwned
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    /// <summary>The CMS user id.</summary>
    public required string ExternalId { get; set; }
    public required string FirstName { get; set; }
    public required string LastName { get; set; }
    public required string Email { get; set; }
    public string? Phone { get; set; }
    public string? Title { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
