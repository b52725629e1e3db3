using Casewire.Cli;
using Casewire.CompanyApp;
using Casewire.Data;
using Casewire.Delivery;
using Casewire.Documents;
using Casewire.Delivery.Inbound;
using Casewire.Feedback;
using Casewire.Hosting;
using Casewire.MassMessages;
using Casewire.Milestones;
using Casewire.Partner;
using Casewire.Portal;
using Casewire.Texts;

// One executable: the server (no arguments, or 'serve') and the admin command line (SPEC §9).
var isCli = AdminCli.IsCommand(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args.SkipWhile(a => a == "serve").ToArray(),
    // appsettings.json ships beside the binary; relative paths (data/casewire.db) stay relative to the working directory.
    ContentRootPath = AppContext.BaseDirectory,
});
if (isCli) builder.Logging.ForCli();

builder.AddCasewireHosting();
builder.AddCasewireData();
builder.AddDocumentStorage();
// After the data: the key ring's start-up (which creates the first key) must follow the migrator's.
builder.AddKeyRing();
builder.AddDelivery();
builder.AddStaffIdentity();
builder.AddCompanyApp();
builder.AddPortal();
builder.AddMilestones();
builder.AddClientTexts();
builder.AddFeedback();
builder.AddMassMessages();
builder.AddPartnerApi();
builder.AddApiDocs();
builder.AddObservability();

var app = builder.Build();
app.UseCasewirePipeline();
app.MapHealth();
app.MapObservability();
app.MapApiDocs();
app.MapPartnerApi();
app.MapTwilioWebhooks();
app.MapCompanyApp(); // Razor Pages: the staff app and the client portal (/portal/{token})

if (isCli) return await AdminCli.RunAsync(app.Services, args, Console.Out, Console.Error);
await app.RunAsync();
return 0;

public partial class Program;
