using Platform.Orders;

var builder = WebApplication.CreateBuilder(args);

builder.AddOrdersServices();

var app = builder.Build();

app.MapOrdersEndpoints();

app.Run();

public partial class Program;
