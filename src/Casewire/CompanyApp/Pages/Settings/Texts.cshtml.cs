using Casewire.Model;
using Microsoft.AspNetCore.Mvc;

namespace Casewire.CompanyApp.Pages.Settings;

/// <summary>
/// Settings → Client texts (SPEC §13, §14): the survey, review request, HELP answer, reminder and document notice in
/// English and Spanish. Everyone reads them; an admin changes them, all or nothing, each checked as a milestone template
/// is. The rules are <see cref="FirmTexts"/>.
/// </summary>
sealed class TextsModel(FirmTexts texts) : StaffPageModel
{
    public IReadOnlyList<FirmTexts.Row> Rows { get; private set; } = [];
    public bool CanEdit => User.IsInRole(StaffRole.Admin);

    /// <summary>The texts as posted, by field (<c>survey-es</c>); kept when the form comes back with an error.</summary>
    [BindProperty] public Dictionary<string, string?> Texts { get; set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Rows = await texts.LoadAsync(CompanyId, ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanEdit) return Forbid();
        var errors = await texts.SaveAsync(CompanyId, Texts, ct);
        if (errors.Count == 0)
        {
            Flash = "Client texts saved.";
            return Redirect("/settings/texts");
        }
        foreach (var (field, message) in errors) ModelState.AddModelError(field, message);
        Rows = [.. (await texts.LoadAsync(CompanyId, ct)).Select(r => Texts.TryGetValue(r.Field, out var typed) ? r with { Own = typed } : r)];
        return Page();
    }
}
