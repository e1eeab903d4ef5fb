using Platform.Identity;

var builder = WebApplication.CreateBuilder(args);

builder.AddIdentityServices();

var app = builder.Build();

app.MapIdentityEndpoints();

app.Run();

public partial class Program;
