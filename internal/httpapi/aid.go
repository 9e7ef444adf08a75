package httpapi

// aidRoutes lists the API of aid groups, cadres, pairings, visits,
// attendance and rotations.
func (s *Server) aidRoutes() []route {
	return nil
}
