package httpapi

// dashboardRoutes lists the console's dashboard API.
func (s *Server) dashboardRoutes() []route {
	return nil
}
