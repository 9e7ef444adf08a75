package httpapi

import (
	"errors"
	"net/http"

	"fupin/internal/auth"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

type (
	usersBody struct {
		Items []sqlstore.User `json:"items"`
	}
	userIn struct {
		Username    string   `json:"username" required:"true"`
		DisplayName string   `json:"display_name"`
		Role        string   `json:"role" required:"true" enum:"admin,county,township,village,aid_unit,inspector"`
		Areas       []string `json:"areas" required:"true"`
		Password    string   `json:"password" required:"true"`
	}
	userUpdateIn struct {
		Username string   `path:"username"`
		Password string   `json:"password,omitempty" description:"新密码（重置后该用户的会话全部结束，下次登录时告知）"`
		Disabled *bool    `json:"disabled,omitempty"`
		Role     string   `json:"role,omitempty" enum:"admin,county,township,village,aid_unit,inspector" description:"新角色（不能高于操作者本人的权限）"`
		Areas    []string `json:"areas,omitempty" description:"新的管辖区域（须在操作者的区域内，且与角色级别一致）"`
	}
	tokensBody struct {
		Items []sqlstore.APIToken `json:"items"`
	}
	tokenIn struct {
		Name  string   `json:"name" required:"true"`
		Role  string   `json:"role" required:"true"`
		Areas []string `json:"areas" required:"true"`
	}
	tokenBody struct {
		sqlstore.APIToken
		Token string `json:"token" description:"明文令牌，只显示这一次"`
	}
)

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	s.respond(w, r, http.StatusOK, func(a fupin.Actor) (any, error) {
		users, err := s.db.Users(r.Context(), a)
		return usersBody{Items: users}, err
	})
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, in userIn) (any, error) {
		role, err := checkGrant(principalOf(r).role, in.Role)
		if err != nil {
			return nil, err
		}
		hash, err := hashChecked(in.Password, in.Username)
		if err != nil {
			return nil, err
		}
		return s.db.CreateUser(r.Context(), a, sqlstore.User{Username: in.Username, DisplayName: in.DisplayName,
			Role: string(role), Areas: in.Areas}, hash)
	})
}

// checkGrant parses a role and checks that the caller may grant it (see
// auth.Role.CanGrant).
func checkGrant(caller auth.Role, roleName string) (auth.Role, error) {
	role, err := auth.ParseRole(roleName)
	if err != nil {
		return "", &fupin.Error{Code: fupin.EInvalid, Message: err.Error(), Fields: map[string]string{"role": "未知角色"}}
	}
	if !caller.CanGrant(role) {
		return "", fupin.Errorf(fupin.EForbidden, "%s不能创建或管理%s账号（不能授予本人没有的权限）", caller.Label(), role.Label())
	}
	return role, nil
}

// hashChecked enforces the password policy and hashes the password.
func hashChecked(password, username string) (string, error) {
	if err := auth.CheckStrength(password, username); err != nil {
		var e *auth.Error
		if errors.As(err, &e) {
			return "", &fupin.Error{Code: fupin.EInvalid, Message: e.Message, Fields: map[string]string{"password": e.Message}}
		}
		return "", err
	}
	return auth.HashPassword(password)
}

// updateUser resets a password, disables or enables an account, or
// changes its role or areas. The caller must be allowed to manage the
// account's current role and any new one (auth.Role.CanGrant); accounts
// outside the caller's areas answer 404.
func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) {
	var in userUpdateIn
	if err := decode(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.changeUser(r, r.PathValue("username"), in); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) changeUser(r *http.Request, username string, in userUpdateIn) error {
	p := principalOf(r)
	target, err := s.db.UserInArea(r.Context(), p.actor, username)
	if err != nil {
		return err
	}
	if _, err := checkGrant(p.role, target.Role); err != nil {
		return err
	}
	c := sqlstore.UserChange{Disabled: in.Disabled, Areas: in.Areas}
	if in.Role != "" {
		role, err := checkGrant(p.role, in.Role)
		if err != nil {
			return err
		}
		c.Role = string(role)
	}
	if in.Password != "" {
		if c.PasswordHash, err = hashChecked(in.Password, username); err != nil {
			return err
		}
	}
	return s.db.ChangeUser(r.Context(), p.actor, username, c)
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) {
	s.respond(w, r, http.StatusOK, func(a fupin.Actor) (any, error) {
		items, err := s.db.Tokens(r.Context())
		return tokensBody{Items: items}, err
	})
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, in tokenIn) (any, error) {
		role, err := checkGrant(principalOf(r).role, in.Role)
		if err != nil {
			return nil, err
		}
		plain, err := auth.NewToken(auth.APITokenPrefix)
		if err != nil {
			return nil, err
		}
		t, err := s.db.CreateToken(r.Context(), a, sqlstore.APIToken{Name: in.Name, Role: string(role), Areas: in.Areas}, auth.HashToken(plain))
		if err != nil {
			return nil, err
		}
		return tokenBody{APIToken: *t, Token: plain}, nil
	})
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var actor fupin.Actor
		if actor, err = actorOf(r); err == nil {
			err = s.db.RevokeToken(r.Context(), actor, id)
		}
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
