package sqlstore

// SetRotationStep installs a hook called at points of a rotation's
// completion (tests interrupt it half-way); nil removes it.
func SetRotationStep(fn func(step string)) { rotationStep = fn }
