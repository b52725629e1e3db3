using Casewire.Data;
using Casewire.MassMessages;
using Casewire.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Casewire.CompanyApp.Pages.MassMessages;

/// <summary>
/// <c>/mass-messages/{id}</c> (SPEC §12): one mass message — its text, filter, counts — and a row per recipient with
/// the delivery's status; cancel what has not gone out (<see cref="MassMessageWriter.CancelAsync"/>, as the API's
/// DELETE does), and "copy" to start a new one from it.
/// </summary>
sealed class DetailModel(CasewireDb db, MassMessageWriter writer, TimeProvider time) : StaffPageModel
{
    [BindProperty(SupportsGet = true)] public long? After { get; set; }

    public MassMessageHistory.Entry Entry { get; private set; } = null!;
    public MassMessageFilter Filter { get; private set; } = new();
    public MassMessageHistory.Recipients Recipients { get; private set; } = new([], null);
    public CompanyTime Time { get; private set; } = null!;
    public DateTimeOffset Now => time.GetUtcNow();
    public bool CanSend => User.IsInRole(StaffRole.Admin) || User.IsInRole(StaffRole.User);
    /// <summary>Something is still queued: cancel would end it.</summary>
    public bool CanCancel => CanSend && Entry.Counts["queued"] > 0 && Entry.Mass.CanceledAt is null;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (await MassMessageHistory.FindAsync(db, CompanyId, id, ct) is not { } entry) return NotFound();
        Entry = entry;
        Filter = MassMessageFilter.FromJson(entry.Mass.Filter);
        Time = await CompanyTime.ForAsync(db, CompanyId, ct);
        Recipients = await MassMessageHistory.RecipientsAsync(db, CompanyId, id, After, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCancelAsync(int id, CancellationToken ct)
    {
        var mass = await db.MassMessages.ForCompany(CompanyId).FirstOrDefaultAsync(m => m.Id == id, ct);
        if (mass is null) return NotFound();
        if (!CanSend) return Forbid();
        var canceled = await writer.CancelAsync(mass, ct);
        Flash = canceled == 0 ? "Nothing was left to cancel: every delivery had gone out."
            : $"Canceled {canceled} {(canceled == 1 ? "delivery" : "deliveries")} that had not gone out; those sent stay sent.";
        return Redirect($"/mass-messages/{id}");
    }
}
