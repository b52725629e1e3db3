namespace Casewire.CompanyApp.Pages;

/// <summary>The landing page after sign-in.</summary>
public sealed class IndexModel : StaffPageModel
{
    public void OnGet() { }
}
