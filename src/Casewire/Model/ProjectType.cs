namespace Casewire.Model;

/// <summary>
/// A case tracker: an ordered list of phases (SPEC §3). Created on first sight of a CMS case type,
/// in learning mode, so an integrator needs no setup; an admin may lock it once the phases are right.
/// </summary>
sealed class ProjectType : ICompanyOwned
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    public required string Name { get; set; }
    /// <summary><see cref="PartnerNames.Normalize"/> of the name: how the CMS's type name is matched.</summary>
    public required string NormalizedName { get; set; }
    /// <summary>Learning: unknown phase names become new phases. Locked: they are recorded as unmapped.</summary>
    public bool IsLocked { get; set; }
    /// <summary>The welcome sent to each client of a new project (SPEC §6); null sends the default text.</summary>
    public string? WelcomeTemplate { get; set; }
    /// <summary>Survey the clients when a project completes (SPEC §13); null follows the company's default.</summary>
    public bool? SurveyOnCompletion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public List<Phase> Phases { get; set; } = [];

    /// <summary>Adds a phase after the last one (a CMS name learned, or an admin's new phase); saved by the caller.</summary>
    public Phase AppendPhase(string name)
    {
        var phase = new Phase { ProjectTypeId = Id, Step = Phases.Count == 0 ? 0 : Phases.Max(p => p.Step) + 1, Name = name };
        Phases.Add(phase);
        return phase;
    }
}

/// <summary>One step of a case tracker.</summary>
sealed class Phase
{
    public int Id { get; set; }
    public int ProjectTypeId { get; set; }
    /// <summary>0-based position in the tracker.</summary>
    public int Step { get; set; }
    /// <summary>The client-facing name.</summary>
    public required string Name { get; set; }
    /// <summary>
    /// What clients are told when a project enters this phase; null sends the default text naming the
    /// phase, so a learned phase notifies clients from the start (SPEC §3).
    /// </summary>
    public string? MessageTemplate { get; set; }
    /// <summary>Survey the clients when a project enters this phase (SPEC §13).</summary>
    public bool SendsSurvey { get; set; }

    public List<PhaseTrigger> Triggers { get; set; } = [];
    public List<PhaseDrip> Drips { get; set; } = [];
}

/// <summary>
/// A follow-up sent <see cref="AfterDays"/> days after a project enters its phase, optionally again every
/// <see cref="RepeatEveryDays"/> days up to <see cref="MaxTimes"/> sends in all (SPEC §6). Leaving the
/// phase or completing the project cancels what is still pending.
/// </summary>
sealed class PhaseDrip
{
    public int Id { get; set; }
    public int PhaseId { get; set; }
    public int AfterDays { get; set; }
    public int? RepeatEveryDays { get; set; }
    /// <summary>How many times it is sent in all; 1 unless it repeats.</summary>
    public int MaxTimes { get; set; } = 1;
    public required string Template { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public int Times => RepeatEveryDays is null ? 1 : MaxTimes;
}

/// <summary>A CMS phase name that maps to a phase (matched case-insensitively after trimming).</summary>
sealed class PhaseTrigger
{
    public int Id { get; set; }
    public int PhaseId { get; set; }
    /// <summary>Denormalised so that a name maps to at most one phase of a type (unique index).</summary>
    public int ProjectTypeId { get; set; }
    public required string Name { get; set; }
    public required string NormalizedName { get; set; }
}

/// <summary>A CMS phase name seen in a locked type that maps to no phase; listed for an admin to map.</summary>
sealed class UnmappedPhaseName
{
    public int Id { get; set; }
    public int ProjectTypeId { get; set; }
    public required string Name { get; set; }
    public required string NormalizedName { get; set; }
    public int TimesSeen { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    /// <summary>The project that last reported it, to give the admin an example.</summary>
    public int? LastProjectId { get; set; }
}

/// <summary>The record of a project entering a phase: milestone notifications hang off these.</summary>
sealed class PhaseChange
{
    public long Id { get; set; }
    public int ProjectId { get; set; }
    /// <summary>Null when the project was created.</summary>
    public int? FromPhaseId { get; set; }
    public int ToPhaseId { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
}

static class PartnerNames
{
    /// <summary>How CMS names are compared: trimmed, inner whitespace collapsed, case-insensitive.</summary>
    public static string Normalize(string name) =>
        string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
}
