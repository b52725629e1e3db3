using Casewire.Data;
using Casewire.Model;
using Microsoft.AspNetCore.Mvc;

namespace Casewire.CompanyApp.Pages.MassMessages;

/// <summary><c>/mass-messages</c> (SPEC §12): the history, newest first, each with its deliveries counted by status.</summary>
sealed class IndexModel(CasewireDb db, TimeProvider time) : StaffPageModel
{
    [BindProperty(SupportsGet = true)] public int? Before { get; set; }

    public MassMessageHistory.Page History { get; private set; } = new([], null);
    public CompanyTime Time { get; private set; } = null!;
    public DateTimeOffset Now => time.GetUtcNow();
    public bool CanSend => User.IsInRole(StaffRole.Admin) || User.IsInRole(StaffRole.User);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Time = await CompanyTime.ForAsync(db, CompanyId, ct);
        History = await MassMessageHistory.ListAsync(db, CompanyId, Before, ct);
    }
}
