namespace Casewire.Model;

/// <summary>
/// A row that belongs to one company (a firm). Every read of one goes through
/// <c>ForCompany</c> (Data/CompanyScope.cs), so a query without its company stands out in review.
/// </summary>
interface ICompanyOwned
{
    int CompanyId { get; }
}
