namespace Casewire.Model;

/// <summary>A case (matter) as the CMS knows it (SPEC §3).</summary>
sealed class Project : ICompanyOwned
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    public required string ExternalId { get; set; }
    public required string Name { get; set; }
    public int ProjectTypeId { get; set; }
    public ProjectType ProjectType { get; set; } = null!;
    /// <summary>The mapped phase the project is in; null only in a locked type with no phases.</summary>
    public int? PhaseId { get; set; }
    public Phase? Phase { get; set; }
    /// <summary>The CMS's phase name as last sent, mapped or not.</summary>
    public required string PartnerPhaseName { get; set; }
    public bool MilestonesEnabled { get; set; }
    public ProjectStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public List<ProjectClient> Clients { get; set; } = [];
}

/// <summary>A contact who is a client of a project; <see cref="Position"/> keeps the CMS's order.</summary>
sealed class ProjectClient
{
    public int ProjectId { get; set; }
    public int ContactId { get; set; }
    public Contact Contact { get; set; } = null!;
    public int Position { get; set; }
}

enum ProjectStatus
{
    NotStarted,
    InProgress,
    Completed,
}

/// <summary>The three statuses of SPEC §3, their accepted aliases and their canonical spelling.</summary>
static class ProjectStatusNames
{
    public static string Canonical(this ProjectStatus status) => status switch
    {
        ProjectStatus.NotStarted => "Not Started",
        ProjectStatus.InProgress => "In Progress",
        _ => "Completed",
    };

    /// <summary>A status by its name or an alias, ignoring case, spaces, dashes and underscores; null when it is none.</summary>
    public static ProjectStatus? Parse(string? value) =>
        (value ?? "").Trim().ToLowerInvariant().Replace(" ", "").Replace("_", "").Replace("-", "") switch
        {
            "notstarted" => ProjectStatus.NotStarted,
            "inprogress" => ProjectStatus.InProgress,
            "completed" or "complete" => ProjectStatus.Completed,
            _ => null,
        };
}
