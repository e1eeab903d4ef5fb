using Platform.Identity.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddIdentityServices();

var app = builder.Build();

await app.InitializeIdentityAsync();
app.MapIdentityApi();

await app.RunAsync();

public partial class Program;
