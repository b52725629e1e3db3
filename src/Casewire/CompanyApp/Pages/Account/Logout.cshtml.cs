using Casewire.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Casewire.CompanyApp.Pages.Account;

/// <summary>Signing out is a POST (with the antiforgery token), never a link a third-party page could trigger.</summary>
sealed class LogoutModel(SignInManager<StaffUser> signIn) : StaffPageModel
{
    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return Redirect("/login");
    }
}
