using Casewire.Data;
using Casewire.MassMessages;
using Casewire.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Casewire.CompanyApp.Pages.MassMessages;

/// <summary>
/// <c>/mass-messages/new</c> (SPEC §12): the filter, the live count of recipients and of those skipped with the reason,
/// the composer with placeholders and templates, a preview for a sample recipient with its segment count, when to send,
/// and a confirmation that states the count before anything is written. Choosing, counting and writing are the
/// MassMessages domain's (<see cref="MassMessagePreview"/>, <see cref="MassMessageWriter"/>), as for the API.
/// Admins and Users send; Followers read the history only.
/// </summary>
sealed class NewModel(CasewireDb db, MassMessagePreview previews, MassMessageWriter writer, TimeProvider time) : StaffPageModel
{
    [BindProperty] public MassMessageForm Form { get; set; } = new();

    public IReadOnlyList<string> ProjectTypes { get; private set; } = [];
    public IReadOnlyList<string> Phases { get; private set; } = [];
    public IReadOnlyList<MessageTemplate> Templates { get; private set; } = [];
    public CompanyTime Time { get; private set; } = null!;
    /// <summary>Set by "Review": the count and sample the confirmation states.</summary>
    public MassMessagePreview.Result? Review { get; private set; }
    public DateTimeOffset? ReviewDueAt { get; private set; }
    bool CanSend => User.IsInRole(StaffRole.Admin) || User.IsInRole(StaffRole.User);

    /// <summary>A blank composer, one started from an earlier mass message (<paramref name="copy"/>), or from projects ticked in the list.</summary>
    public async Task<IActionResult> OnGetAsync(int? copy, string[]? projects, CancellationToken ct)
    {
        if (!CanSend) return Forbid();
        if (copy is { } id)
        {
            var mass = await db.MassMessages.AsNoTracking().ForCompany(CompanyId).FirstOrDefaultAsync(m => m.Id == id, ct);
            if (mass is null) return NotFound();
            Form = MassMessageForm.CopyOf(mass);
        }
        else if (projects is { Length: > 0 }) Form.ProjectIds = string.Join("\n", projects);
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The live count and preview, as JSON for the composer's script: nothing is written.</summary>
    public async Task<IActionResult> OnPostCountAsync(CancellationToken ct)
    {
        if (!CanSend) return Forbid();
        var company = await CompanyAsync(ct);
        var errors = new Validation.FieldErrors();
        var filter = Form.ReadFilter(errors);
        if (filter is null) return new JsonResult(new CountResponse(false, null, null, null, null, null, errors.ToDictionary().Values.SelectMany(e => e).ToList()));
        var preview = await previews.ForAsync(company, filter, Form.ReadTemplate(), ct);
        var a = preview.Audience;
        return new JsonResult(new CountResponse(true, a.Recipients.Count, new Skipped(a.OptedOut, a.Unreachable, a.Duplicate),
            preview.Sample?.For, preview.Sample?.Text, preview.Sample?.Segments, []));
    }

    public sealed record Skipped(int OptedOut, int Unreachable, int Duplicate);

    public sealed record CountResponse(bool Ok, int? Recipients, Skipped? Skipped, string? SampleFor, string? Sample, int? Segments,
        IReadOnlyList<string> Errors);

    /// <summary>Checks everything and shows the confirmation with the count; nothing is written.</summary>
    public async Task<IActionResult> OnPostReviewAsync(CancellationToken ct)
    {
        if (!CanSend) return Forbid();
        var company = await CompanyAsync(ct);
        if (!Form.TryRead(company, time.GetUtcNow(), out var draft, out var errors)) return await InvalidAsync(errors, ct);
        Review = await previews.ForAsync(company, draft.Filter, draft.Template, ct);
        ReviewDueAt = draft.DueAt;
        if (Review.Audience.Recipients.Count == 0) ModelState.AddModelError(MassMessageForm.Filter, NobodyReached(Review.Audience));
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>Writes the mass message, as <c>POST /partner/v2/mass-messages</c> does, and opens it.</summary>
    public async Task<IActionResult> OnPostSendAsync(CancellationToken ct)
    {
        if (!CanSend) return Forbid();
        var company = await CompanyAsync(ct);
        if (!Form.TryRead(company, time.GetUtcNow(), out var draft, out var errors)) return await InvalidAsync(errors, ct);
        var user = await db.Users.AsNoTracking().ForCompany(CompanyId).SingleAsync(u => u.Id == UserId, ct);
        var author = string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? user.UserName ?? "Staff" : user.DisplayName.Trim();
        var outcome = await writer.SendAsync(company, draft, author, user.Id, ct);
        if (outcome.MassMessage is not { } mass)
        {
            ModelState.AddModelError(MassMessageForm.Filter, NobodyReached(outcome.Audience));
            await LoadAsync(ct);
            return Page();
        }
        Flash = mass.SendAt > time.GetUtcNow()
            ? $"Scheduled for {mass.Recipients} {(mass.Recipients == 1 ? "client" : "clients")}."
            : $"Sending to {mass.Recipients} {(mass.Recipients == 1 ? "client" : "clients")}.";
        return Redirect($"/mass-messages/{mass.Id}");
    }

    static string NobodyReached(Audience.Result audience) => audience.Skipped.Count == 0
        ? "The filter matches no client; nothing would be sent."
        : $"Every client the filter matches is skipped ({audience.OptedOut} opted out, {audience.Unreachable} without phone or email, "
          + $"{audience.Duplicate} duplicates); nothing would be sent.";

    async Task<IActionResult> InvalidAsync(Validation.FieldErrors errors, CancellationToken ct)
    {
        foreach (var (field, messages) in errors.ToDictionary())
            foreach (var message in messages) ModelState.AddModelError(field, message);
        await LoadAsync(ct);
        return Page();
    }

    Task<Company> CompanyAsync(CancellationToken ct) => db.Companies.AsNoTracking().SingleAsync(c => c.Id == CompanyId, ct);

    async Task LoadAsync(CancellationToken ct)
    {
        Time = await CompanyTime.ForAsync(db, CompanyId, ct);
        ProjectTypes = await db.ProjectTypes.AsNoTracking().ForCompany(CompanyId).OrderBy(t => t.Name).Select(t => t.Name).ToListAsync(ct);
        Phases = (await db.Phases.AsNoTracking()
                .Where(p => db.ProjectTypes.ForCompany(CompanyId).Any(t => t.Id == p.ProjectTypeId)).Select(p => p.Name).ToListAsync(ct))
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
        Templates = await MessageTemplates.ListAsync(db, CompanyId, ct);
    }
}
