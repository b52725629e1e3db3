using Casewire.Model;

namespace Casewire.Data;

/// <summary>
/// Tenancy scoping you can grep (DESIGN.md, "Tenancy is explicit"). Not a global query filter: the context is
/// pooled (<c>AddDbContextPool</c>), and a filter over a scoped tenant would read whichever company the pooled
/// instance last served. Inside a query's own lambda (a sub-query such as <c>db.Projects.Any(…)</c>) EF cannot
/// call this method; write the comparison there by hand.
/// </summary>
static class CompanyScope
{
    /// <summary>Only the rows of <paramref name="companyId"/>.</summary>
    public static IQueryable<T> ForCompany<T>(this IQueryable<T> rows, int companyId) where T : class, ICompanyOwned =>
        rows.Where(row => row.CompanyId == companyId);
}
