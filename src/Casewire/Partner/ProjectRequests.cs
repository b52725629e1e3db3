using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Casewire.Model;
using Casewire.Validation;

namespace Casewire.Partner;

/// <summary>The body of <c>PUT /partner/v2/projects</c> (SPEC §3).</summary>
sealed record ProjectRequest(
    [property: ApiRequired] string? ExternalId,
    [property: ApiRequired] string? Name,
    [property: ApiRequired] string? PartnerPhaseName,
    // Contact references: an id (number), an externalId (string), or {"id"} / {"externalId"}.
    [property: ApiRequired, ApiItems(ApiDocs.ReferenceSchema), Description("The project's clients (contacts), by id or externalId.")]
    List<JsonElement>? Clients,
    [property: ApiRequired] string? PartnerProjectTypeName,
    [property: ApiRequired] bool? MilestonesEnabled,
    [property: ApiRequired, ApiEnum("Not Started", "In Progress", "Completed", "Complete"),
               Description("Matched case-insensitively; Complete is an alias of Completed; responses say the canonical name.")]
    string? Status)
{
    /// <summary>Reads and checks every field; the errors are keyed by the field at fault.</summary>
    public bool TryRead([NotNullWhen(true)] out ProjectInput? project, out FieldErrors errors)
    {
        errors = new FieldErrors();
        var externalId = errors.Required("externalId", ExternalId, Limits.ExternalId);
        var name = errors.Required("name", Name, Limits.Name);
        var phaseName = errors.Required("partnerPhaseName", PartnerPhaseName, Limits.Name);
        var typeName = errors.Required("partnerProjectTypeName", PartnerProjectTypeName, Limits.Name);
        var clients = ClientReference.ReadAll("clients", Clients, errors, required: true);
        if (MilestonesEnabled is null)
            errors.Add("milestonesEnabled", "milestonesEnabled is required: true or false.");
        var status = ReadStatus(errors, Status);
        project = errors.Any
            ? null
            : new ProjectInput(externalId, name, phaseName, typeName, clients, MilestonesEnabled!.Value, status!.Value);
        return project is not null;
    }

    /// <summary>A project's status (SPEC §3), naming the accepted spellings when it cannot be read.</summary>
    static ProjectStatus? ReadStatus(FieldErrors errors, string? value)
    {
        var status = ProjectStatusNames.Parse(value);
        if (status is null)
            errors.Add("status", string.IsNullOrWhiteSpace(value)
                ? "status is required: one of \"Not Started\", \"In Progress\", \"Completed\"."
                : $"status '{FieldErrors.Shorten(value)}' is not one of \"Not Started\", \"In Progress\", \"Completed\".");
        return status;
    }
}

/// <summary>A project request once read: names trimmed, clients as references still to resolve.</summary>
sealed record ProjectInput(
    string ExternalId, string Name, string PhaseName, string TypeName, List<ClientReference> Clients, bool MilestonesEnabled, ProjectStatus Status)
{
    /// <summary>Sets what the request says on the project, with its place in its type and its resolved clients.</summary>
    public void ApplyTo(Project project, ProjectType type, Phase? phase, List<Contact> clients)
    {
        project.Name = Name;
        project.PartnerPhaseName = PhaseName;
        project.MilestonesEnabled = MilestonesEnabled;
        project.Status = Status;
        project.ProjectTypeId = type.Id;
        project.PhaseId = phase?.Id;
        SetClients(project, clients);
    }

    /// <summary>Makes the project's clients exactly <paramref name="clients"/>, in order, touching only what changed.</summary>
    static void SetClients(Project project, List<Contact> clients)
    {
        project.Clients.RemoveAll(pc => !clients.Any(c => c.Id == pc.ContactId));
        for (var position = 0; position < clients.Count; position++)
        {
            var link = project.Clients.FirstOrDefault(pc => pc.ContactId == clients[position].Id);
            if (link is null) project.Clients.Add(new ProjectClient { ContactId = clients[position].Id, Position = position });
            else if (link.Position != position) link.Position = position;
        }
    }
}
