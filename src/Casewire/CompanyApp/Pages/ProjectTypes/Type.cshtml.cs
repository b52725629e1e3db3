using Casewire.CompanyApp.Projects;
using Casewire.Data;
using Casewire.Feedback;
using Casewire.Milestones;
using Casewire.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Casewire.CompanyApp.Pages.ProjectTypes;

/// <summary>
/// <c>/project-types/{id}</c> (SPEC §8): a case tracker's phases in order, their client-facing
/// names, CMS names (triggers), learning vs locked, the welcome, phase and drip texts with a preview and
/// SMS segment count, and the CMS phase names waiting to be mapped. Everyone reads; Admins edit. Each
/// form posts to its own handler; a refused change comes back with the reason next to its field and
/// nothing saved; a saved one redirects back to where it was made.
/// </summary>
sealed class TypeModel(CasewireDb db, MilestoneTemplates templates, CaseTrackerEdits edits, TypeFeedback feedback, TimeProvider time) : StaffPageModel
{
    public TypeView View { get; private set; } = null!;
    public bool CanEdit => User.IsInRole(StaffRole.Admin);

    /// <summary>What was typed into the form that failed, by form key, so it is not lost.</summary>
    public Dictionary<string, string?> Posted { get; } = [];
    public TypeView.DripForm? PostedDrip { get; private set; }
    /// <summary>SPEC §13: when this type's clients are surveyed, its Spanish texts, and its NPS.</summary>
    public TypeFeedback.View? Feedback { get; private set; }
    public NpsReport.Summary? Nps { get; private set; }

    /// <summary>Survey choices and Spanish texts, saved together (all or nothing).</summary>
    public async Task<IActionResult> OnPostFeedbackAsync(int id, string? completion, int[]? surveyPhases, string? welcomeEs,
        Dictionary<int, string?>? phaseEs, Dictionary<int, string?>? dripEs, CancellationToken ct)
    {
        if (!CanEdit) return await RefusedAsync(id, ct);
        var errors = await feedback.SaveAsync(CompanyId, id, new TypeFeedback.Change(completion, surveyPhases ?? [], welcomeEs, phaseEs ?? [], dripEs ?? []), ct);
        if (errors.Count == 0)
        {
            Flash = "Feedback and Spanish texts saved.";
            return Redirect($"/project-types/{id}#feedback");
        }
        foreach (var (key, error) in errors) ModelState.AddModelError(key, error);
        // What was typed comes back in its box, to be corrected rather than typed again.
        Posted["welcome-es"] = welcomeEs;
        foreach (var (phaseId, text) in phaseEs ?? []) Posted[$"phase-{phaseId}-es"] = text;
        foreach (var (dripId, text) in dripEs ?? []) Posted[$"drip-{dripId}-es"] = text;
        return await ShowAsync(id, ct);
    }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) => await ShowAsync(id, ct);

    public Task<IActionResult> OnPostModeAsync(int id, bool locked, CancellationToken ct) =>
        EditAsync(id, "mode", "mode", () => edits.SetLockedAsync(CompanyId, id, locked, ct), ct);

    public Task<IActionResult> OnPostWelcomeAsync(int id, string? text, bool reset, CancellationToken ct) =>
        SaveTextAsync(id, "welcome", text, reset, () => templates.SetWelcomeAsync(CompanyId, id, reset ? null : text ?? "", ct), ct);

    public Task<IActionResult> OnPostPhaseMessageAsync(int id, int phaseId, string? text, bool reset, CancellationToken ct) =>
        SaveTextAsync(id, $"phase-{phaseId}-message", text, reset, () => templates.SetPhaseMessageAsync(CompanyId, phaseId, reset ? null : text ?? "", ct), ct,
            phaseId);

    public Task<IActionResult> OnPostAddPhaseAsync(int id, string? name, CancellationToken ct) =>
        EditAsync(id, "new-phase", "new-phase", () => edits.AddPhaseAsync(CompanyId, id, name, ct), ct, posted: name);

    public Task<IActionResult> OnPostRenameAsync(int id, int phaseId, string? name, CancellationToken ct) =>
        EditAsync(id, $"phase-{phaseId}-name", $"phase-{phaseId}", () => edits.RenamePhaseAsync(CompanyId, phaseId, name, ct), ct, posted: name);

    public Task<IActionResult> OnPostMoveAsync(int id, int phaseId, string? direction, CancellationToken ct) =>
        EditAsync(id, $"phase-{phaseId}", $"phase-{phaseId}",
            () => edits.MovePhaseAsync(CompanyId, phaseId, direction == "up" ? -1 : direction == "down" ? 1 : 0, ct), ct);

    public Task<IActionResult> OnPostRemovePhaseAsync(int id, int phaseId, CancellationToken ct) =>
        EditAsync(id, $"phase-{phaseId}", "phases", () => edits.RemovePhaseAsync(CompanyId, phaseId, ct), ct);

    public Task<IActionResult> OnPostAddTriggerAsync(int id, int phaseId, string? name, CancellationToken ct) =>
        EditAsync(id, $"phase-{phaseId}-trigger", $"phase-{phaseId}", () => edits.AddTriggerAsync(CompanyId, phaseId, name, ct), ct, posted: name);

    public Task<IActionResult> OnPostRemoveTriggerAsync(int id, int phaseId, int triggerId, CancellationToken ct) =>
        EditAsync(id, $"phase-{phaseId}-trigger", $"phase-{phaseId}", () => edits.RemoveTriggerAsync(CompanyId, triggerId, ct), ct);

    /// <summary>The one-click "map to phase" of a CMS phase name seen on a locked type.</summary>
    public Task<IActionResult> OnPostMapAsync(int id, int unmappedId, int? phaseId, CancellationToken ct) =>
        EditAsync(id, $"unmapped-{unmappedId}", "unmapped", () => phaseId is { } chosen
            ? edits.MapUnmappedAsync(CompanyId, unmappedId, chosen, ct)
            : Task.FromResult(CaseTrackerEdits.Outcome.Refused("Choose the phase this CMS name means.")), ct);

    public async Task<IActionResult> OnPostAddDripAsync(int id, int phaseId, TypeView.DripForm drip, CancellationToken ct) =>
        await SaveDripAsync(id, $"phase-{phaseId}-drip", drip, () => templates.AddDripAsync(CompanyId, phaseId, drip.ToRequest(), ct), ct, phaseId);

    public async Task<IActionResult> OnPostUpdateDripAsync(int id, int phaseId, int dripId, TypeView.DripForm drip, CancellationToken ct) =>
        await SaveDripAsync(id, $"drip-{dripId}", drip, () => templates.UpdateDripAsync(CompanyId, dripId, drip.ToRequest(), ct), ct, phaseId);

    public async Task<IActionResult> OnPostRemoveDripAsync(int id, int phaseId, int dripId, CancellationToken ct)
    {
        if (!CanEdit) return await RefusedAsync(id, ct);
        if (!await TypeExistsAsync(id, ct)) return NotFound();
        if (!await templates.RemoveDripAsync(CompanyId, dripId, ct))
            return await InvalidAsync(id, $"drip-{dripId}", "That follow-up no longer exists; someone may have removed it already.", ct);
        Flash = "Follow-up removed. What it already scheduled for projects in the phase still goes.";
        return Back(id, $"phase-{phaseId}");
    }

    /// <summary>
    /// The live preview (any signed-in staff member; it changes nothing): the text rendered with sample
    /// values and its SMS segment count, or why it would be refused.
    /// </summary>
    public async Task<IActionResult> OnPostPreviewAsync(int id, string? text, int? phaseId, CancellationToken ct)
    {
        var company = await db.Companies.AsNoTracking().SingleAsync(c => c.Id == CompanyId, ct);
        if (!await TypeExistsAsync(id, ct)) return NotFound();
        var phaseName = phaseId is { } p
            ? await db.Phases.Where(x => x.Id == p && x.ProjectTypeId == id).Select(x => x.Name).FirstOrDefaultAsync(ct)
            : null;
        var outcome = templates.Check(company, text ?? "", phaseName);
        return new JsonResult(outcome.Preview is { } preview
            ? new PreviewResponse(true, preview.Text, preview.Segments, TypeView.Encoding(preview.Text), preview.Text.Length, [])
            : new PreviewResponse(false, null, null, null, null, outcome.Errors));
    }

    public sealed record PreviewResponse(bool Ok, string? Text, int? Segments, string? Encoding, int? Characters, IReadOnlyList<string> Errors);

    async Task<IActionResult> SaveTextAsync(int id, string key, string? text, bool reset, Func<Task<MilestoneTemplates.Outcome>> save,
        CancellationToken ct, int? phaseId = null)
    {
        if (!CanEdit) return await RefusedAsync(id, ct);
        if (!await TypeExistsAsync(id, ct)) return NotFound();
        var outcome = await save();
        if (!outcome.Saved)
        {
            Posted[key] = text;
            return await InvalidAsync(id, key, string.Join(" ", outcome.Errors), ct);
        }
        Flash = reset ? "Back to the default text." : $"Saved. A client reads it as {ProjectLabels.Plural(outcome.Preview!.Segments, "SMS segment", "SMS segments")}.";
        return Back(id, phaseId is { } p ? $"phase-{p}" : key);
    }

    async Task<IActionResult> SaveDripAsync(int id, string key, TypeView.DripForm drip, Func<Task<MilestoneTemplates.Outcome>> save,
        CancellationToken ct, int phaseId)
    {
        if (!CanEdit) return await RefusedAsync(id, ct);
        if (!await TypeExistsAsync(id, ct)) return NotFound();
        // Unparsable numbers arrive as model errors; say so in the drip's own words.
        var error = ModelState.IsValid ? null : "Days and times must be whole numbers.";
        var outcome = error is null ? await save() : null;
        if (outcome is null || !outcome.Saved)
        {
            ModelState.Clear();
            Posted[key] = drip.Text;
            PostedDrip = drip;
            return await InvalidAsync(id, key, error ?? string.Join(" ", outcome!.Errors), ct);
        }
        Flash = $"Follow-up saved ({ProjectLabels.Plural(outcome.Preview!.Segments, "SMS segment", "SMS segments")}). It applies to projects that enter the phase from now on.";
        return Back(id, $"phase-{phaseId}");
    }

    async Task<IActionResult> EditAsync(int id, string key, string anchor, Func<Task<CaseTrackerEdits.Outcome>> edit, CancellationToken ct,
        string? posted = null)
    {
        if (!CanEdit) return await RefusedAsync(id, ct);
        if (!await TypeExistsAsync(id, ct)) return NotFound();
        var outcome = await edit();
        if (!outcome.Saved)
        {
            Posted[key] = posted;
            return await InvalidAsync(id, key, outcome.Error!, ct);
        }
        Flash = outcome.Done;
        return Back(id, anchor);
    }

    RedirectResult Back(int id, string anchor) => Redirect($"/project-types/{id}#{anchor}");

    Task<bool> TypeExistsAsync(int id, CancellationToken ct) => db.ProjectTypes.ForCompany(CompanyId).AnyAsync(t => t.Id == id, ct);

    async Task<IActionResult> ShowAsync(int id, CancellationToken ct)
    {
        var view = await TypeView.LoadAsync(db, templates, edits, CompanyId, id, ct);
        if (view is null) return NotFound();
        View = view;
        Feedback = await feedback.LoadAsync(CompanyId, id, ct);
        var zone = await db.Companies.Where(c => c.Id == CompanyId).Select(c => c.TimeZone).SingleAsync(ct);
        Nps = await NpsReport.ReadAsync(db, CompanyId, id, Time.TimeZones.Resolve(zone) ?? NodaTime.DateTimeZone.Utc, time.GetUtcNow(), ct);
        return Page();
    }

    /// <summary>The page again with the reason next to the form's field; nothing was saved.</summary>
    async Task<IActionResult> InvalidAsync(int id, string key, string error, CancellationToken ct)
    {
        ModelState.AddModelError(key, error);
        return await ShowAsync(id, ct);
    }

    /// <summary>A 403 that still shows the page, saying why; for a crafted post, since only Admins see the forms.</summary>
    async Task<IActionResult> RefusedAsync(int id, CancellationToken ct)
    {
        ModelState.AddModelError(string.Empty, "Only an Admin of your firm can change project types.");
        var result = await ShowAsync(id, ct);
        if (result is Microsoft.AspNetCore.Mvc.RazorPages.PageResult page) page.StatusCode = StatusCodes.Status403Forbidden;
        return result;
    }
}
