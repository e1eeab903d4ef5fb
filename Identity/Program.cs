using Platform.Identity.Extensions;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIdentityServices();

var app = builder.Build();

await app.InitializeIdentityAsync();
app.UseIdentityPipeline();
app.MapIdentityApi();
app.MapDefaultEndpoints();

await app.RunAsync();

public partial class Program;
