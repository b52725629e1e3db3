namespace Casewire.Milestones;

/// <summary>
/// What clients read when the firm has not written its own text (SPEC §3, §6). Short enough for one
/// text message each, except the welcome, whose personal portal link makes it two.
/// </summary>
static class DefaultTexts
{
    /// <summary>Greets the client, names the firm and the case, gives the portal link; the first text also says how to stop them.</summary>
    public const string Welcome =
        "Hi {client.firstName}, this is {company.name}. We will text you updates on {project.name} here. " +
        "Follow your case: {portal.link} Reply STOP to opt out.";

    /// <summary>Names the phase, so a phase learned from the CMS notifies clients from the start.</summary>
    public const string PhaseChange =
        "Hi {client.firstName}, an update from {company.name}: {project.name} has moved to the {phase.name} phase.";
}
