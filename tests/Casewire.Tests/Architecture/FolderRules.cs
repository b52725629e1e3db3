namespace Casewire.Tests.Architecture;

/// <summary>
/// Which feature folder of <c>src/Casewire</c> may use which (DESIGN.md, "Layout"): vocabulary lives with the
/// model, the delivery engine knows no feature that feeds it, and only the composition root (Program.cs,
/// Hosting/) and token creation reach into the Partner API.
/// </summary>
static class FolderRules
{
    /// <summary>The one Partner type other folders may use: creating, listing and revoking API tokens.</summary>
    public const string TokenCreation = "Casewire.Partner.Auth.ApiTokens";

    static readonly HashSet<string> CompositionRoot = ["Program", "Hosting"];

    static readonly (string From, string To)[] Forbidden =
    [
        ("Delivery", "Partner"), ("Delivery", "Milestones"), ("Delivery", "CompanyApp"), ("Delivery", "Portal"),
        ("Data", "Delivery"),
        ("Milestones", "Partner"), ("Milestones", "CompanyApp"),
        ("Calendar", "Partner"), ("Calendar", "CompanyApp"),
        ("Portal", "Partner"), ("Portal", "CompanyApp"),
        ("Delivery", "MassMessages"), ("Milestones", "MassMessages"), ("Portal", "MassMessages"),
        ("MassMessages", "Partner"), ("MassMessages", "CompanyApp"),
        // Documents (storage, file checks, the orphan sweeper) sits under every feature that stores files, the
        // delivery engine's inbound MMS included: it knows none of them.
        ("Documents", "Delivery"), ("Documents", "Partner"), ("Documents", "Milestones"), ("Documents", "Calendar"),
        ("Documents", "Portal"), ("Documents", "CompanyApp"),
    ];

    /// <summary>Why <paramref name="from"/> may not use <paramref name="type"/> (a namespace or a type's full name), or null when it may.</summary>
    public static string? Violation(string from, string type)
    {
        var to = FolderOf(type);
        if (to is null || to == from) return null;
        if (from == "Model") return "Model depends on nothing of ours";
        if (Forbidden.Contains((from, to))) return $"{from} never depends on {to}";
        if (to == "Partner" && !CompositionRoot.Contains(from) && !IsTokenCreation(type))
            return "outside the Partner API, only token creation (ApiTokens) may use it";
        return null;
    }

    /// <summary>The feature folder of a namespace or type name of ours (<c>Casewire.Delivery.Sms.X</c> → Delivery); null for others'.</summary>
    public static string? FolderOf(string name)
    {
        if (!name.StartsWith("Casewire.", StringComparison.Ordinal) || name.StartsWith("Casewire.Tests", StringComparison.Ordinal)) return null;
        var rest = name["Casewire.".Length..];
        var dot = rest.IndexOfAny(['.', '/', '`']);
        return dot < 0 ? rest : rest[..dot];
    }

    /// <summary>The ApiTokens type (nested types included), or its namespace as a <c>using</c> line names it (the compiled check narrows that to the type).</summary>
    static bool IsTokenCreation(string type) =>
        type == TokenCreation || type.StartsWith(TokenCreation + "/", StringComparison.Ordinal) || type == TokenCreationNamespace;

    const string TokenCreationNamespace = "Casewire.Partner.Auth";
}
