using Casewire.Data;
using Microsoft.EntityFrameworkCore;

namespace Casewire.CompanyApp.Pages.ProjectTypes;

/// <summary><c>/project-types</c>: the company's case trackers, learned from the CMS or set up by an admin (SPEC §8).</summary>
sealed class IndexModel(CasewireDb db) : StaffPageModel
{
    public sealed record Row(int Id, string Name, bool IsLocked, IReadOnlyList<string> Phases, int Projects, int Unmapped);

    public IReadOnlyList<Row> Types { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Types = await db.ProjectTypes.AsNoTracking().ForCompany(CompanyId).OrderBy(t => t.Name)
            .Select(t => new Row(t.Id, t.Name, t.IsLocked,
                t.Phases.OrderBy(p => p.Step).Select(p => p.Name).ToList(),
                db.Projects.Count(p => p.CompanyId == CompanyId && p.ProjectTypeId == t.Id),
                db.UnmappedPhaseNames.Count(u => u.ProjectTypeId == t.Id)))
            .ToListAsync(ct);
    }
}
