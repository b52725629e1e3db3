using Casewire.Data;
using Casewire.Milestones;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.MassMessages;

/// <summary>
/// The company's message templates (SPEC §12): named texts that staff insert in the project page's send box and
/// the mass-message composer. The text is checked as a milestone template is (<see cref="Template.TryParse"/>:
/// known placeholders, balanced braces, at most 1,600 characters); names are unique in the company.
/// </summary>
static class MessageTemplates
{
    /// <summary>An error of the form, by the field it is about (<c>Name</c> or <c>Text</c>).</summary>
    public sealed record Error(string Field, string Message);

    public static Task<List<MessageTemplate>> ListAsync(CasewireDb db, int companyId, CancellationToken ct) =>
        db.MessageTemplates.AsNoTracking().ForCompany(companyId).OrderBy(t => t.Name).ToListAsync(ct);

    /// <summary>Creates (<paramref name="id"/> null) or changes a template and saves; the errors when it is refused (nothing saved).</summary>
    public static async Task<IReadOnlyList<Error>> SaveAsync(CasewireDb db, int companyId, int? id, string? name, string? text,
        DateTimeOffset now, CancellationToken ct)
    {
        var errors = new List<Error>();
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0) errors.Add(new Error("Name", "Give the template a name, e.g. \"Office closed\"."));
        else if (trimmed.Length > Limits.Name) errors.Add(new Error("Name", $"The name is {trimmed.Length} characters long; at most {Limits.Name} are accepted."));
        if (!Template.TryParse(text, out _, out var textErrors)) errors.AddRange(textErrors.Select(e => new Error("Text", e)));

        MessageTemplate? template = null;
        if (id is { } existing)
        {
            template = await db.MessageTemplates.ForCompany(companyId).FirstOrDefaultAsync(t => t.Id == existing, ct);
            if (template is null) return [new Error("Name", "That template no longer exists.")];
        }
        if (trimmed.Length > 0 && await db.MessageTemplates.ForCompany(companyId).AnyAsync(t => t.Name == trimmed && t.Id != (id ?? 0), ct))
            errors.Add(new Error("Name", $"A template named \"{trimmed}\" exists already; choose another name."));
        if (errors.Count > 0) return errors;

        template ??= db.MessageTemplates.Add(new MessageTemplate { CompanyId = companyId, Name = trimmed, Text = "" }).Entity;
        template.Name = trimmed;
        template.Text = text!.Trim();
        template.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two admins saving the same new name at once: the unique index refused the second.
            db.ChangeTracker.Clear();
            return [new Error("Name", $"A template named \"{trimmed}\" exists already; choose another name.")];
        }
        return [];
    }

    /// <summary>Deletes a template of the company; false when there is none with that id.</summary>
    public static async Task<bool> DeleteAsync(CasewireDb db, int companyId, int id, CancellationToken ct) =>
        await db.MessageTemplates.ForCompany(companyId).Where(t => t.Id == id).ExecuteDeleteAsync(ct) > 0;
}

/// <summary>
/// A template made ready for the project page's send box, whose text goes to every client of the project as written:
/// the placeholders are filled for that project — the clients' names joined, and <c>{portal.link}</c> only when the
/// project has a single client (each client's own link goes out with mass messages and milestone texts).
/// </summary>
static class ProjectTemplates
{
    public static string Fill(MessageTemplate template, Company company, Project project, string? phaseName,
        IReadOnlyList<Contact> clients, Func<Contact, string> link) =>
        Template.FromStored(template.Text).Render(new TemplateValues(
            string.Join(" and ", clients.Select(c => c.FirstName)), string.Join(" and ", clients.Select(c => c.LastName).Distinct()),
            project.Name, phaseName ?? project.PartnerPhaseName, company.Name, clients.Count == 1 ? link(clients[0]) : ""));
}
