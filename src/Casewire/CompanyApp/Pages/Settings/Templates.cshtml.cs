using Casewire.Data;
using Casewire.MassMessages;
using Casewire.Milestones;
using Casewire.Model;
using Microsoft.AspNetCore.Mvc;

namespace Casewire.CompanyApp.Pages.Settings;

/// <summary>
/// Settings → Templates (SPEC §12): the company's message templates. Everyone reads them (and inserts them where they
/// write); an admin adds, changes and deletes them. The rules are <see cref="MessageTemplates"/>.
/// </summary>
sealed class TemplatesModel(CasewireDb db, TimeProvider time) : StaffPageModel
{
    public IReadOnlyList<MessageTemplate> Templates { get; private set; } = [];
    public bool CanEdit => User.IsInRole(StaffRole.Admin);
    public static string Placeholders => string.Join(" ", Template.Placeholders.Select(p => "{" + p + "}"));

    /// <summary>The template being edited (null: a new one) and its fields, kept when the form comes back with an error.</summary>
    [BindProperty] public int? EditId { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Text { get; set; }

    public async Task OnGetAsync(int? edit, CancellationToken ct)
    {
        Templates = await MessageTemplates.ListAsync(db, CompanyId, ct);
        if (edit is { } id && Templates.FirstOrDefault(t => t.Id == id) is { } template)
            (EditId, Name, Text) = (template.Id, template.Name, template.Text);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanEdit) return Forbid();
        var errors = await MessageTemplates.SaveAsync(db, CompanyId, EditId, Name, Text, time.GetUtcNow(), ct);
        if (errors.Count > 0)
        {
            foreach (var error in errors) ModelState.AddModelError(error.Field, error.Message);
            Templates = await MessageTemplates.ListAsync(db, CompanyId, ct);
            return Page();
        }
        Flash = $"Template \"{Name!.Trim()}\" saved.";
        return Redirect("/settings/templates");
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct)
    {
        if (!CanEdit) return Forbid();
        if (!await MessageTemplates.DeleteAsync(db, CompanyId, id, ct)) return NotFound();
        Flash = "Template deleted.";
        return Redirect("/settings/templates");
    }
}
