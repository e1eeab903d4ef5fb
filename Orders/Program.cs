using Platform.Orders.Apis;
using Platform.Orders.Extensions;
using Platform.ResourceServer;

var builder = WebApplication.CreateBuilder(args);

builder.AddOrdersServices();

var app = builder.Build();

app.UseOrdersPipeline();
app.MapPlatformHealthChecks();
app.MapOrdersApi();

app.Run();

public partial class Program;
